import { useMemo, useState } from 'preact/hooks';
import { projectFlagsSchema, projectProposalSchema } from '../../../domain/project';
import { api, unwrap, type RequestBody } from '../api/client';
import { ProblemNotice } from '../components/problem-notice';
import { useLoad } from '../components/use-load';
import { useNames, useText } from '../i18n';
import { href, navigate } from '../router';
import { fenOf } from '../format';
import { profileFor } from '../../../domain/policy';
import { openPlanYear } from '../../../domain/policy/intake';
import type { Me } from '../session';

const texts = {
  'zh-CN': {
    title: '申报项目', projectId: '项目编号', projectIdHint: '字母或数字开头，3–64 位，可含 . _ -', name: '项目名称', unit: '建设单位', jurisdiction: '地区',
    planYear: '计划年度', investment: '投资估算（元）', fundingSource: '资金来源', summary: '项目概述', planKind: '计划类型', annual: '年度计划', supplementary: '增补计划',
    basis: '增补依据（上级要求）', flags: '项目特征', submit: '提交申报', checking: '提交中…', fixFirst: '请先改正标出的字段。',
    accepted: '已登记；流程稍后给出第一个待办事项。', invalidMoney: '请输入金额（元），最多两位小数',
    healthEndpoint: '系统健康检查地址（宿迁存量系统必填）',
  },
  en: {
    title: 'Register a proposal', projectId: 'Project id', projectIdHint: '3–64 characters, starting with a letter or digit; . _ - allowed', name: 'Project name', unit: 'Construction unit', jurisdiction: 'Jurisdiction',
    planYear: 'Plan year', investment: 'Investment estimate (yuan)', fundingSource: 'Funding source', summary: 'Summary', planKind: 'Plan', annual: 'Annual plan', supplementary: 'Supplementary plan',
    basis: 'Basis for the supplementary plan (the upper-level requirement)', flags: 'Characteristics', submit: 'Register', checking: 'Registering…', fixFirst: 'Correct the marked fields first.',
    accepted: 'Registered; the workflow opens its first action in a moment.', invalidMoney: 'Enter an amount in yuan, at most two decimals',
    healthEndpoint: 'Health endpoint of the system (Suqian stock systems must give one)',
  },
};

/** The fields that show their own error; any other issue is listed above the submit button. */
const FIELDS_SHOWN = new Set(['projectId', 'name', 'unit', 'planYear', 'investmentFen', 'fundingSource', 'planKind', 'supplementaryBasis', 'summary', 'healthEndpoint']);

/**
 * The flags a clerk declares, from the schema itself; `county` is not one: the unit registry says whether
 * a unit is a county's (004 §8 ¶3), and the form sets it from there as the API requires.
 */
const FLAGS = projectFlagsSchema.keyof().options.filter((flag) => flag !== 'county');

/**
 * A unit registers a proposal. The form validates with the API's own zod schema
 * (domain/project.ts projectProposalSchema: the jurisdiction's plan kinds, scope and required fields),
 * so a clerk sees the rule before sending; the API checks again and has the last word.
 */
export function RegisterPage({ me }: { me: Me }) {
  const t = useText(texts);
  const names = useNames();
  const units = useLoad(() => unwrap(api.GET('/units', { params: { query: {} } })), []);
  const [form, setForm] = useState({
    projectId: '', name: '', unit: me.role === 'unit' && me.unit ? me.unit : '', planYear: '', investment: '', fundingSource: '', summary: '',
    planKind: 'annual', supplementaryBasis: '', healthEndpoint: '', flags: {} as Record<string, boolean>,
  });
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [accepted, setAccepted] = useState<string | null>(null);
  const set = (field: keyof typeof form) => (event: Event) => setForm({ ...form, [field]: (event.currentTarget as HTMLInputElement).value });
  // A unit registers for itself only; the registry says its jurisdiction.
  const unitsHere = me.role === 'unit' && me.unit ? [{ name: me.unit, jurisdiction: (units.data?.items ?? []).find((u) => u.name === me.unit)?.jurisdiction ?? '' }] : (units.data?.items ?? []);
  const registered = (units.data?.items ?? []).find((u) => u.name === form.unit);
  const jurisdiction = registered?.jurisdiction ?? 'yiyang';
  // Until the clerk types a year: the plan whose intake is still open under the jurisdiction's cut-off.
  const planYear = form.planYear || String(openPlanYear(profileFor(jurisdiction), new Date()));

  const investmentFen = fenOf(form.investment);
  const body = {
    projectId: form.projectId.trim(), name: form.name, unit: form.unit, jurisdiction, planYear: Number(planYear), investmentFen,
    fundingSource: form.fundingSource, planKind: form.planKind,
    ...(form.summary.trim() ? { summary: form.summary } : {}),
    ...(form.planKind === 'supplementary' && form.supplementaryBasis.trim() ? { supplementaryBasis: form.supplementaryBasis } : {}),
    ...(form.healthEndpoint.trim() ? { healthEndpoint: form.healthEndpoint.trim() } : {}),
    flags: { ...Object.fromEntries(Object.entries(form.flags).filter(([, on]) => on)), ...(registered?.county ? { county: true } : {}) },
  };
  // The same schema the API validates with; its messages name the rule.
  const issues = useMemo(() => {
    const parsed = projectProposalSchema.safeParse(body);
    const byField = new Map<string, string>();
    if (!parsed.success) for (const issue of parsed.error.issues) byField.set(issue.path.join('.'), issue.message);
    if (Number.isNaN(investmentFen)) byField.set('investmentFen', t.invalidMoney);
    return byField;
  }, [JSON.stringify(body), t]);
  const problemOf = (field: string) => (touched ? issues.get(field) : undefined);

  async function submit(event: Event) {
    event.preventDefault();
    setTouched(true);
    setError(undefined);
    if (issues.size > 0) return;
    setBusy(true);
    try {
      const answer = api.POST('/projects', { body: body as RequestBody<'/projects', 'post'> });
      const created = await unwrap(answer);
      // 202: registered, but the busy worker has not answered yet; the project page shows it once it has.
      if ((await answer).response.status === 202) setAccepted(created.projectId);
      else navigate('projects', created.projectId);
    } catch (refused) {
      setError(refused);
    } finally {
      setBusy(false);
    }
  }

  const field = (id: string, label: string, input: preact.JSX.Element, hint?: string) => (
    <div>
      <label for={id}>{label}</label>
      {input}
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {problemOf(id) && <p class="field-error" id={`${id}-error`} data-testid={`error-${id}`}>{problemOf(id)}</p>}
    </div>
  );
  const described = (id: string) => ({ 'aria-invalid': problemOf(id) ? true : undefined, 'aria-describedby': problemOf(id) ? `${id}-error` : undefined });

  return (
    <>
      <h1>{t.title}</h1>
      <form class="card" onSubmit={submit} noValidate>
        {field('projectId', t.projectId, <input id="projectId" value={form.projectId} onInput={set('projectId')} {...described('projectId')} />, t.projectIdHint)}
        {field('name', t.name, <input id="name" value={form.name} onInput={set('name')} {...described('name')} />)}
        {field('unit', t.unit, (
          <select id="unit" value={form.unit} onChange={set('unit')} disabled={me.role === 'unit'} {...described('unit')}>
            <option value="" />
            {unitsHere.map((u) => <option key={u.name} value={u.name}>{u.name}{u.jurisdiction && `（${names.jurisdiction(u.jurisdiction)}）`}</option>)}
          </select>
        ), registered ? `${t.jurisdiction}: ${names.jurisdiction(jurisdiction)}${registered.county ? ` · ${registered.county}` : ''}` : undefined)}
        <div class="row">
          {field('planYear', t.planYear, <input id="planYear" type="number" value={planYear} onInput={set('planYear')} {...described('planYear')} />)}
          {field('investmentFen', t.investment, <input id="investmentFen" inputMode="decimal" value={form.investment} onInput={set('investment')} {...described('investmentFen')} />)}
        </div>
        {field('fundingSource', t.fundingSource, <input id="fundingSource" value={form.fundingSource} onInput={set('fundingSource')} {...described('fundingSource')} />)}
        {field('planKind', t.planKind, (
          <select id="planKind" value={form.planKind} onChange={set('planKind')} {...described('planKind')}>
            <option value="annual">{t.annual}</option>
            <option value="supplementary">{t.supplementary}</option>
          </select>
        ))}
        {form.planKind === 'supplementary' &&
          field('supplementaryBasis', t.basis, <textarea id="supplementaryBasis" value={form.supplementaryBasis} onInput={set('supplementaryBasis')} {...described('supplementaryBasis')} />)}
        {field('summary', t.summary, <textarea id="summary" value={form.summary} onInput={set('summary')} {...described('summary')} />)}
        <fieldset>
          <legend>{t.flags}</legend>
          {FLAGS.map((flag) => (
            <label class="inline" key={flag}>
              <input type="checkbox" checked={Boolean(form.flags[flag])} onChange={(e) => setForm({ ...form, flags: { ...form.flags, [flag]: e.currentTarget.checked } })} />
              {names.flag(flag)}
            </label>
          ))}
          {[...issues.entries()].filter(([path]) => path.startsWith('flags')).map(([path, message]) => touched && <p class="field-error" key={path}>{message}</p>)}
        </fieldset>
        {field('healthEndpoint', t.healthEndpoint, <input id="healthEndpoint" type="url" value={form.healthEndpoint} onInput={set('healthEndpoint')} {...described('healthEndpoint')} />)}
        {touched && issues.size > 0 && (
          <div class="field-error" role="alert">
            {t.fixFirst}
            <ul>
              {[...issues.entries()].filter(([path]) => !FIELDS_SHOWN.has(path) && !path.startsWith('flags')).map(([path, message]) => <li key={path}>{path}: {message}</li>)}
            </ul>
          </div>
        )}
        <ProblemNotice error={error} />
        {accepted && <p class="notice" role="status">{t.accepted} <a href={href('projects', accepted)}>{accepted}</a></p>}
        <button type="submit" disabled={busy}>{busy ? t.checking : t.submit}</button>
      </form>
    </>
  );
}
