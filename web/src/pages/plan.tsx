import { useState } from 'preact/hooks';
import { allProfiles, profileFor } from '../../../domain/policy';
import { openPlanYear } from '../../../domain/policy/intake';
import { api, ApiProblem, unwrap, type Answer } from '../api/client';
import type { paths } from '../api/schema';
import { ProblemNotice } from '../components/problem-notice';
import { useLoad } from '../components/use-load';
import { useNames, useText } from '../i18n';
import { beijingTime, linesOf, yuan } from '../format';
import { href } from '../router';
import { useMe } from '../session';

type Plan = Answer<'/plans/{jurisdiction}/{planYear}', 'get'>;
type Proposal = Plan['proposals'][number];
type ApprovalStep = paths['/plans/{jurisdiction}/{planYear}/approvals']['post']['requestBody']['content']['application/json']['step'];

/** The jurisdictions whose rules have an annual plan (the same profiles the API runs). */
const PLAN_JURISDICTIONS = allProfiles.filter((profile) => profile.annualPlan !== null).map((profile) => profile.jurisdiction);

const texts = {
  'zh-CN': {
    title: '年度计划',
    planHeading: (where: string, year: number) => `${where}${year}年度计划`,
    jurisdiction: '地区',
    planYear: '计划年度',
    badYear: '请输入四位数的年份。',
    loading: '正在加载…',
    missing: (where: string, year: string) => `${where}${year}年度计划尚未开始。`,
    phase: '阶段',
    phases: {
      intake: '征集项目建议',
      compilation: '编制计划',
      leadingGroup: '待领导小组审定',
      executiveMeeting: '待政府常务会议审定',
      published: '已发布',
      returned: '已退回，待重新编制',
    } as Record<string, string>,
    intakeCloses: '征集截止',
    enrolled: '已入围的项目建议',
    noProposals: '还没有项目建议入围本年度计划。',
    project: '项目',
    name: '项目名称',
    unit: '建设单位',
    investment: '投资估算',
    enrolledAt: '入围时间',
    decision: '编制结果',
    included: '列入计划',
    excluded: '不列入计划',
    undecided: '未编制',
    includedTitle: (n: number) => `列入计划的项目（${n}）`,
    excludedTitle: (n: number) => `不列入计划的项目（${n}）`,
    reason: '理由',
    none: '无',
    compileTitle: '编制年度计划',
    compileIntro: '每个入围的项目建议都须列入或不列入计划；不列入的须写明理由。',
    include: '列入计划',
    exclude: '不予列入',
    excludeReason: (name: string) => `${name}不列入的理由`,
    compile: '提交编制结果',
    compiled: '年度计划已编制，等待领导小组审定。',
    approvalTitle: { leadingGroup: '登记领导小组审定结果', executiveMeeting: '登记政府常务会议审定结果' } as Record<string, string>,
    approvalChoice: '审定结果',
    approve: '批准',
    sendBack: '退回重新编制',
    approvalReasons: '理由（每行一条）',
    reasonsHint: '退回重新编制时须写明理由。',
    record: '登记审定结果',
    approvedNotice: { leadingGroup: '已登记领导小组批准，等待政府常务会议审定。', executiveMeeting: '已登记政府常务会议批准，年度计划发布。' } as Record<string, string>,
    returnedNotice: '已退回，计划须重新编制。',
  },
  en: {
    title: 'Annual plan',
    planHeading: (where: string, year: number) => `${where} annual plan ${year}`,
    jurisdiction: 'Jurisdiction',
    planYear: 'Plan year',
    badYear: 'Enter a four-digit year.',
    loading: 'Loading…',
    missing: (where: string, year: string) => `${where} has no ${year} annual plan yet.`,
    phase: 'Phase',
    phases: {
      intake: 'Intake of proposals',
      compilation: 'Being compiled',
      leadingGroup: 'Awaiting the leading group',
      executiveMeeting: 'Awaiting the executive meeting',
      published: 'Published',
      returned: 'Sent back for recompilation',
    } as Record<string, string>,
    intakeCloses: 'Intake closes',
    enrolled: 'Enrolled proposals',
    noProposals: 'No proposal is enrolled in this plan yet.',
    project: 'Project',
    name: 'Name',
    unit: 'Construction unit',
    investment: 'Investment estimate',
    enrolledAt: 'Enrolled',
    decision: 'Compiled as',
    included: 'Included',
    excluded: 'Excluded',
    undecided: 'Not compiled',
    includedTitle: (n: number) => `Included in the plan (${n})`,
    excludedTitle: (n: number) => `Excluded from the plan (${n})`,
    reason: 'Reason',
    none: 'None',
    compileTitle: 'Compile the annual plan',
    compileIntro: 'Every enrolled proposal is either included or excluded; an exclusion states its reason.',
    include: 'Include',
    exclude: 'Exclude',
    excludeReason: (name: string) => `Why ${name} is excluded`,
    compile: 'Submit the compilation',
    compiled: 'The plan is compiled and awaits the leading group.',
    approvalTitle: { leadingGroup: "Record the leading group's decision", executiveMeeting: "Record the executive meeting's decision" } as Record<string, string>,
    approvalChoice: 'Decision',
    approve: 'Approve',
    sendBack: 'Send back for recompilation',
    approvalReasons: 'Reasons (one per line)',
    reasonsHint: 'Sending the plan back requires its reasons.',
    record: 'Record the decision',
    approvedNotice: { leadingGroup: "The leading group's approval is recorded; the plan awaits the executive meeting.", executiveMeeting: "The executive meeting's approval is recorded; the plan is published." } as Record<string, string>,
    returnedNotice: 'Sent back: the plan is to be compiled again.',
  },
};
type PlanTexts = (typeof texts)['zh-CN'];

const isYear = (text: string) => /^[1-9]\d{3}$/.test(text);

/**
 * A jurisdiction's annual plan (GET /plans/{jurisdiction}/{planYear}): its phase, the proposals enrolled,
 * what was included and excluded and why. The review office compiles it and records the two approvals.
 */
export function PlanPage() {
  const t = useText(texts);
  const names = useNames();
  const me = useMe();
  const [jurisdiction, setJurisdiction] = useState(PLAN_JURISDICTIONS[0] ?? 'yiyang');
  // The plan whose intake is open now, by the jurisdiction's own cut-off (the profile's), is the one at work.
  const [yearText, setYearText] = useState(String(openPlanYear(profileFor(PLAN_JURISDICTIONS[0] ?? 'yiyang'), new Date())));
  const [notice, setNotice] = useState<string | null>(null);
  const validYear = isYear(yearText);

  const plan = useLoad(async (): Promise<Plan | null> => {
    if (!validYear) return null;
    try {
      return await unwrap(api.GET('/plans/{jurisdiction}/{planYear}', { params: { path: { jurisdiction, planYear: yearText } } }));
    } catch (error) {
      // A plan not started yet is a fact to state, not a failure.
      if (error instanceof ApiProblem && error.problem.status === 404) return null;
      throw error;
    }
  }, [jurisdiction, yearText, validYear]);

  const reviewOffice = me?.role === 'reviewOffice';
  const data = plan.data;
  const done = (text: string) => {
    setNotice(text);
    plan.reload();
  };

  return (
    <>
      <h1>{t.title}</h1>
      <div class="row">
        <div>
          <label for="plan-jurisdiction">{t.jurisdiction}</label>
          <select id="plan-jurisdiction" value={jurisdiction} onChange={(e) => { setNotice(null); setJurisdiction(e.currentTarget.value); setYearText(String(openPlanYear(profileFor(e.currentTarget.value), new Date()))); }}>
            {PLAN_JURISDICTIONS.map((id) => (
              <option key={id} value={id}>{names.jurisdiction(id)}</option>
            ))}
          </select>
        </div>
        <div>
          <label for="plan-year">{t.planYear}</label>
          <input
            id="plan-year"
            type="number"
            inputMode="numeric"
            min={1000}
            max={9999}
            step={1}
            value={yearText}
            aria-invalid={!validYear}
            aria-describedby={validYear ? undefined : 'plan-year-error'}
            onInput={(e) => { setNotice(null); setYearText(e.currentTarget.value.trim()); }}
          />
        </div>
      </div>
      {!validYear && <p class="field-error" id="plan-year-error">{t.badYear}</p>}
      <ProblemNotice error={plan.error} />
      {validYear && plan.loading && !data && !plan.error && <p aria-busy="true">{t.loading}</p>}
      {validYear && !plan.loading && data === null && <p data-testid="plan-missing">{t.missing(names.jurisdiction(jurisdiction), yearText)}</p>}
      {notice && <p class="notice" role="status" data-testid="plan-notice">{notice}</p>}
      {data && (
        <>
          <PlanSummary t={t} plan={data} />
          {reviewOffice && (data.phase === 'compilation' || data.phase === 'returned') && (
            <CompilationForm key={`${data.planId}-${data.phase}`} t={t} plan={data} onDone={() => done(t.compiled)} />
          )}
          {reviewOffice && (data.phase === 'leadingGroup' || data.phase === 'executiveMeeting') && (
            <ApprovalForm key={`${data.planId}-${data.phase}`} t={t} plan={data} step={data.phase} onDone={done} />
          )}
        </>
      )}
    </>
  );
}

function PlanSummary({ t, plan }: { t: PlanTexts; plan: Plan }) {
  const names = useNames();
  const included = new Set(plan.included);
  const exclusions = new Map(plan.excluded.map((e) => [e.projectId, e.reason]));
  const proposalNamed = (projectId: string) => plan.proposals.find((p) => p.projectId === projectId);
  return (
    <>
      <section class="card" aria-labelledby="plan-facts-title" data-testid="plan">
        <h2 id="plan-facts-title">{t.planHeading(names.jurisdiction(plan.jurisdiction), plan.planYear)}</h2>
        <p class="hint">{plan.planId}</p>
        <dl class="facts">
          <dt>{t.phase}</dt>
          <dd><span class="badge" data-testid="plan-phase" data-phase={plan.phase}>{t.phases[plan.phase] ?? plan.phase}</span></dd>
          <dt>{t.intakeCloses}</dt>
          <dd>{beijingTime(plan.intakeClosesAt)}</dd>
        </dl>
      </section>

      <section class="card" aria-labelledby="plan-proposals-title">
        <h2 id="plan-proposals-title">{t.enrolled}</h2>
        {plan.proposals.length === 0 ? (
          <p>{t.noProposals}</p>
        ) : (
          <table data-testid="plan-proposals">
            <thead>
              <tr>
                <th scope="col">{t.project}</th>
                <th scope="col">{t.unit}</th>
                <th scope="col" class="num">{t.investment}</th>
                <th scope="col">{t.enrolledAt}</th>
                <th scope="col">{t.decision}</th>
              </tr>
            </thead>
            <tbody>
              {plan.proposals.map((proposal) => (
                <tr key={proposal.projectId} data-testid={`plan-proposal-${proposal.projectId}`}>
                  <td>
                    <a href={href('projects', proposal.projectId)}>{proposal.name}</a>
                    <div class="hint">{proposal.projectId}</div>
                  </td>
                  <td>{proposal.unit}</td>
                  <td class="num">{yuan(proposal.investmentFen)}</td>
                  <td>{beijingTime(proposal.enrolledAt)}</td>
                  <td>
                    {included.has(proposal.projectId) ? (
                      <span class="badge released">{t.included}</span>
                    ) : exclusions.has(proposal.projectId) ? (
                      <>
                        <span class="badge blocked">{t.excluded}</span>
                        <div>{exclusions.get(proposal.projectId)}</div>
                      </>
                    ) : (
                      <span class="hint">{t.undecided}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section class="card" aria-labelledby="plan-included-title">
        <h2 id="plan-included-title">{t.includedTitle(plan.included.length)}</h2>
        {plan.included.length === 0 ? (
          <p class="hint">{t.none}</p>
        ) : (
          <ul data-testid="plan-included">
            {plan.included.map((projectId) => (
              <li key={projectId}>
                <a href={href('projects', projectId)}>{proposalNamed(projectId)?.name ?? projectId}</a> <span class="hint">{projectId}</span>
              </li>
            ))}
          </ul>
        )}
        <h2 id="plan-excluded-title">{t.excludedTitle(plan.excluded.length)}</h2>
        {plan.excluded.length === 0 ? (
          <p class="hint">{t.none}</p>
        ) : (
          <table data-testid="plan-excluded" aria-labelledby="plan-excluded-title">
            <thead>
              <tr>
                <th scope="col">{t.project}</th>
                <th scope="col">{t.reason}</th>
              </tr>
            </thead>
            <tbody>
              {plan.excluded.map((exclusion) => (
                <tr key={exclusion.projectId}>
                  <td>
                    <a href={href('projects', exclusion.projectId)}>{proposalNamed(exclusion.projectId)?.name ?? exclusion.projectId}</a>
                    <div class="hint">{exclusion.projectId}</div>
                  </td>
                  <td>{exclusion.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

type Choice = { include: boolean | null; reason: string };

/**
 * The review office's compilation: every enrolled proposal included or excluded with a reason (the API
 * refuses a plan that leaves one undecided). A returned plan starts from its previous compilation.
 */
function CompilationForm({ t, plan, onDone }: { t: PlanTexts; plan: Plan; onDone: () => void }) {
  const [choices, setChoices] = useState<Record<string, Choice>>(() =>
    Object.fromEntries(
      plan.proposals.map((p) => {
        const exclusion = plan.excluded.find((e) => e.projectId === p.projectId);
        return [p.projectId, { include: plan.included.includes(p.projectId) ? true : exclusion ? false : null, reason: exclusion?.reason ?? '' }];
      }),
    ),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const choose = (projectId: string, change: Partial<Choice>) => setChoices((all) => ({ ...all, [projectId]: { ...(all[projectId] ?? { include: null, reason: '' }), ...change } }));

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const decided = plan.proposals.map((p) => ({ projectId: p.projectId, ...(choices[p.projectId] ?? { include: null, reason: '' }) }));
    try {
      await unwrap(
        api.POST('/plans/{jurisdiction}/{planYear}/compilation', {
          params: { path: { jurisdiction: plan.jurisdiction, planYear: String(plan.planYear) } },
          body: {
            included: decided.filter((d) => d.include === true).map((d) => d.projectId),
            excluded: decided.filter((d) => d.include === false).map((d) => ({ projectId: d.projectId, reason: d.reason.trim() })),
          },
        }),
      );
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form class="card plan-form" onSubmit={(e) => void submit(e)} aria-labelledby="compile-title" data-testid="plan-compilation">
      <h2 id="compile-title">{t.compileTitle}</h2>
      <p class="hint">{t.compileIntro}</p>
      {plan.proposals.length === 0 && <p>{t.noProposals}</p>}
      {plan.proposals.map((proposal) => (
        <ProposalChoice key={proposal.projectId} t={t} proposal={proposal} choice={choices[proposal.projectId] ?? { include: null, reason: '' }} onChange={(change) => choose(proposal.projectId, change)} />
      ))}
      <ProblemNotice error={error} />
      <button type="submit" disabled={busy}>{t.compile}</button>
    </form>
  );
}

function ProposalChoice({ t, proposal, choice, onChange }: { t: PlanTexts; proposal: Proposal; choice: Choice; onChange: (change: Partial<Choice>) => void }) {
  const id = `compile-${proposal.projectId}`;
  return (
    <fieldset class="proposal-choice" data-testid={id}>
      <legend>
        {proposal.name} <span class="hint">{proposal.projectId} · {proposal.unit} · {yuan(proposal.investmentFen)}</span>
      </legend>
      <label class="inline" for={`${id}-include`}>
        <input type="radio" id={`${id}-include`} name={id} value="include" required checked={choice.include === true} onChange={() => onChange({ include: true })} />
        {t.include}
      </label>
      <label class="inline" for={`${id}-exclude`}>
        <input type="radio" id={`${id}-exclude`} name={id} value="exclude" required checked={choice.include === false} onChange={() => onChange({ include: false })} />
        {t.exclude}
      </label>
      {choice.include === false && (
        <>
          <label for={`${id}-reason`}>{t.excludeReason(proposal.name)}</label>
          <textarea id={`${id}-reason`} required maxLength={2000} value={choice.reason} onInput={(e) => onChange({ reason: e.currentTarget.value })} />
        </>
      )}
    </fieldset>
  );
}

/** The leading group's, then the executive meeting's decision, as the review office records it. */
function ApprovalForm({ t, plan, step, onDone }: { t: PlanTexts; plan: Plan; step: ApprovalStep; onDone: (notice: string) => void }) {
  const [approved, setApproved] = useState<boolean | null>(null);
  const [reasons, setReasons] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (approved === null) return;
    setBusy(true);
    setError(null);
    try {
      await unwrap(
        api.POST('/plans/{jurisdiction}/{planYear}/approvals', {
          params: { path: { jurisdiction: plan.jurisdiction, planYear: String(plan.planYear) } },
          body: { step, approved, reasons: linesOf(reasons) },
        }),
      );
      onDone(approved ? (t.approvedNotice[step] ?? '') : t.returnedNotice);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form class="card plan-form" onSubmit={(e) => void submit(e)} aria-labelledby="approval-title" data-testid="plan-approval">
      <h2 id="approval-title">{t.approvalTitle[step] ?? step}</h2>
      <fieldset>
        <legend>{t.approvalChoice}</legend>
        <label class="inline" for="approval-approve">
          <input type="radio" id="approval-approve" name="approval" value="approve" required checked={approved === true} onChange={() => setApproved(true)} />
          {t.approve}
        </label>
        <label class="inline" for="approval-send-back">
          <input type="radio" id="approval-send-back" name="approval" value="sendBack" required checked={approved === false} onChange={() => setApproved(false)} />
          {t.sendBack}
        </label>
      </fieldset>
      <label for="approval-reasons">{t.approvalReasons}</label>
      <textarea id="approval-reasons" value={reasons} required={approved === false} aria-describedby="approval-reasons-hint" onInput={(e) => setReasons(e.currentTarget.value)} />
      <p class="hint" id="approval-reasons-hint">{t.reasonsHint}</p>
      <ProblemNotice error={error} />
      <button type="submit" disabled={busy || approved === null}>{t.record}</button>
    </form>
  );
}
