import type { Actor, PendingAction, ProjectState } from '../../domain/lifecycle';
import { profileFor } from '../../domain/policy';
import type { ReviewStage, SubmissionStage } from '../../domain/policy/profile';
import type { ProjectProposal } from '../../domain/project';
import type { Role } from '../../domain/records';
import { initialState, type Inbox } from '../../workflows/lifecycle/run';
import {
  validateChangeDecision,
  validateClose,
  validateDecision,
  validateDeficiency,
  validateDeferralDecision,
  validateDeferralRequest,
  validateOmServiceContract,
  validatePostponement,
  validateProblem,
  validateProblemReport,
  validateProblemVerdict,
  validateRectificationConfirmed,
  validateSubmission,
  validateTermination,
  validateYearlyReport,
  type LifecycleView,
} from '../../workflows/lifecycle/validators';
import { aProposal } from '../helpers/proposals';

/**
 * The lifecycle's update validators are pure functions of the project's state, its profile and the
 * input: these tests need no Temporal server. Each refusal carries its kind, which alone decides the
 * HTTP status (403 forbidden, 409 conflict, 422 rule).
 */
const UNIT = '益阳市城市管理局';
const NOW = new Date('2027-03-02T02:00:00Z'); // 2027-03-02 10:00 Asia/Shanghai
const actor = (role: Role, unit?: string): Actor => ({ id: `${role}:tester`, role, ...(role === 'unit' ? { unit: unit ?? UNIT } : {}) });

function viewAt(stageId: string, pending: Partial<PendingAction> | null, proposal: Partial<ProjectProposal> = {}, completedAt: Record<string, string> = {}): LifecycleView {
  const project = aProposal(proposal);
  const profile = profileFor(project.jurisdiction);
  const stages = profile.stages({ investmentFen: project.investmentFen, planKind: project.planKind, flags: project.flags });
  const def = stages.find((s) => s.id === stageId);
  const state: ProjectState = { ...initialState(project, profile, stages, '2027-01-04T01:00:00.000Z'), stage: stageId as ProjectState['stage'] };
  const inbox: Inbox = { changeRequests: [], changeDecisions: [], calendarChanged: false };
  if (pending) state.pending = { stage: stageId as PendingAction['stage'], role: 'unit', kind: def?.kind === 'review' ? 'review' : 'submission', ...pending } as PendingAction;
  return {
    state, profile, stages, inbox, completedAt,
    currentReview: def?.kind === 'review' ? (def as ReviewStage) : undefined,
    currentSubmission: def?.kind === 'submission' ? (def as SubmissionStage) : undefined,
  };
}
const nanfeng = { jurisdiction: 'nanfeng' as const, unit: UNIT };

describe('decision validator', () => {
  const schemeReview = () => viewAt('schemeReview', { kind: 'review', role: 'technicalReviewer' }, { investmentFen: 3_000_000 * 100 });
  const decide = (view: LifecycleView, input: Record<string, unknown>) => validateDecision(view, input, NOW);

  it('accepts the deciding role with its experts (001 §11)', () => {
    expect(decide(schemeReview(), { stage: 'schemeReview', decision: 'approve', experts: ['张教授'], actor: actor('technicalReviewer') })).toBeNull();
  });

  it('refuses the wrong role as forbidden', () => {
    expect(decide(schemeReview(), { stage: 'schemeReview', decision: 'approve', experts: ['张教授'], actor: actor('finance') })).toMatchObject({ kind: 'forbidden', rule: '001 §11', field: 'actor.role' });
  });

  it('refuses a decision at a stage that is not open as a conflict', () => {
    expect(decide(schemeReview(), { stage: 'approval', decision: 'approve', actor: actor('reviewOffice') })).toMatchObject({ kind: 'conflict', rule: 'lifecycle', field: 'stage' });
  });

  it('refuses a rejection without reasons as a rule (一次性告知)', () => {
    expect(decide(schemeReview(), { stage: 'schemeReview', decision: 'reject', experts: ['张教授'], actor: actor('technicalReviewer') })).toMatchObject({ kind: 'rule', field: 'reasons' });
  });

  it('001 §11: at 200万 or more the scheme review names its experts', () => {
    expect(decide(schemeReview(), { stage: 'schemeReview', decision: 'approve', actor: actor('technicalReviewer') })).toMatchObject({ kind: 'rule', rule: '001 §11', field: 'experts' });
  });

  it('000 §8(2)2: a Nanfeng initial-review refusal cites its grounds, a violation of chapter 2 principles among them', () => {
    const view = viewAt('initialReview', { kind: 'review', role: 'reviewOffice' }, nanfeng);
    const reject = (refusalGrounds: string[]) => decide(view, { stage: 'initialReview', decision: 'reject', reasons: ['不符合建设原则'], refusalGrounds, actor: actor('reviewOffice') });
    expect(reject([])).toMatchObject({ kind: 'rule', rule: '000 §8(2)2', field: 'refusalGrounds' });
    expect(reject(['dataNotOnGovCloud'])).toBeNull();
    expect(reject(['violatesChapter2Principles'])).toBeNull();
  });

  it('refuses any action on an ended project as a conflict under the rule that ended it', () => {
    const view = schemeReview();
    view.state.status = 'ended';
    view.state.outcome = { stage: 'rejected', reason: '方案不可行', rule: '001 §11' };
    expect(decide(view, { stage: 'schemeReview', decision: 'approve', actor: actor('technicalReviewer') })).toMatchObject({ kind: 'conflict', rule: '001 §11' });
  });

  it('001 §28: a failed acceptance sets the rectification date with the decision, a date after today', () => {
    const view = viewAt('finalAcceptance', { kind: 'review', role: 'reviewOffice' }, { investmentFen: 3_000_000 * 100 });
    const reject = (extra: Record<string, unknown>) => decide(view, { stage: 'finalAcceptance', decision: 'reject', reasons: ['性能不达标'], experts: ['张教授'], actor: actor('reviewOffice'), ...extra });
    expect(reject({})).toMatchObject({ kind: 'rule', rule: '001 §28', field: 'rectifyBy' });
    expect(reject({ rectifyBy: '2027-03-02' })).toMatchObject({ kind: 'rule', rule: '001 §28', field: 'rectifyBy' });
    expect(reject({ rectifyBy: '2027-04-15' })).toBeNull();
  });

  it('an acceptance cannot precede the contract\'s signing (record integrity)', () => {
    const view = viewAt('finalAcceptance', { kind: 'review', role: 'unit' }, { investmentFen: 1_000_000 * 100 });
    view.state.contract = { contractId: 'HT-9', contractor: '某公司', sumFen: 1, omYears: 3, signedDate: '2027-03-05' };
    expect(decide(view, { stage: 'finalAcceptance', decision: 'approve', actor: actor('unit') })).toMatchObject({ kind: 'rule', field: 'decision' });
    view.state.contract.signedDate = '2027-03-02';
    expect(decide(view, { stage: 'finalAcceptance', decision: 'approve', actor: actor('unit') })).toBeNull();
  });
});

describe('submission validator', () => {
  const procurement = () => viewAt('procurement', { kind: 'submission', action: 'contract', rule: '001 §25' });
  const contract = (over: Record<string, unknown> = {}) => ({ contractId: 'HT-1', contractor: '某科技公司', sumFen: 100_000_00, omYears: 3, signedDate: '2027-03-01', ...over });
  const file = (view: LifecycleView, input: Record<string, unknown>) => validateSubmission(view, { action: 'contract', actor: actor('unit'), supervisor: '湖南某工程监理有限公司', ...input }, NOW);

  it('001 §24: a Yiyang contract filing names the engineering supervision firm; 000 §10 leaves it optional in Nanfeng', () => {
    expect(file(procurement(), { contract: contract(), supervisor: undefined })).toMatchObject({ kind: 'rule', rule: '001 §24', field: 'supervisor' });
    expect(file(procurement(), { contract: contract() })).toBeNull();
    const nanfengProcurement = viewAt('procurement', { kind: 'submission', action: 'contract', rule: '000 §9' }, nanfeng);
    expect(file(nanfengProcurement, { contract: contract(), supervisor: undefined })).toBeNull();
  });

  it('another unit may not submit for the project (forbidden)', () => {
    expect(file(procurement(), { contract: contract(), actor: actor('unit', '别的单位') })).toMatchObject({ kind: 'forbidden', field: 'actor.unit' });
  });

  it('a contract cannot be filed as signed after today (record integrity)', () => {
    expect(file(procurement(), { contract: contract({ signedDate: '2027-03-03' }) })).toMatchObject({ kind: 'rule', field: 'contract.signedDate' });
  });

  it('001 §21: the O&M period is generally at least three years; less only with a stated legal basis', () => {
    expect(file(procurement(), { contract: contract({ omYears: 2 }) })).toMatchObject({ kind: 'rule', rule: '001 §21', field: 'contract.omYears' });
    expect(file(procurement(), { contract: contract({ omYears: 2, omLegalBasis: '省级专项资金管理办法规定运维期为2年' }) })).toBeNull();
    expect(file(procurement(), { contract: contract({ omYears: 3 }) })).toBeNull();
  });

  it('Nanfeng (000) sets no O&M period: a one-year contract is filed', () => {
    const view = viewAt('procurement', { kind: 'submission', action: 'contract', rule: '000 §9' }, nanfeng);
    expect(file(view, { contract: contract({ omYears: 1 }) })).toBeNull();
  });

  it('a contract travels only with the contract filing: another submission cannot replace the lots', () => {
    const view = viewAt('acceptanceApplication', { kind: 'submission', action: 'acceptanceApplication', rule: '001 §26' });
    expect(validateSubmission(view, { action: 'acceptanceApplication', preconditionsMet: ['dataSharing'], contracts: [contract()], actor: actor('unit') }, NOW))
      .toMatchObject({ kind: 'rule', field: 'contracts' });
  });

  it('an action the project does not await is a conflict', () => {
    expect(validateSubmission(procurement(), { action: 'goLive', actor: actor('unit') }, NOW)).toMatchObject({ kind: 'conflict', field: 'action' });
  });
});

describe('termination, changes, closure and retirement follow the profile', () => {
  const implementing = (proposal: Partial<ProjectProposal> = {}) => viewAt('implementation', { kind: 'implementation', action: 'goLive' }, proposal);
  const terminate = (view: LifecycleView) => validateTermination(view, { ground: 'forceMajeure', explanation: '因不可抗力无法继续实施项目', actor: actor('unit') });

  it('001 §20: a Yiyang unit terminates during implementation on a listed ground', () => {
    expect(terminate(implementing())).toBeNull();
  });

  it('000 has no termination article: a Nanfeng termination is refused as no such procedure', () => {
    const refusal = terminate(implementing(nanfeng));
    expect(refusal).toMatchObject({ kind: 'rule', rule: 'seed 000' });
    expect(refusal?.message).toMatch(/no such procedure/);
  });

  it('000 §11: a Nanfeng change is filed with the centre, not approved', () => {
    const view = implementing(nanfeng);
    view.state.changeRequests.push({ changeId: 1, summary: '增加移动端', status: 'pending', requestedBy: 'unit:tester' });
    expect(validateChangeDecision(view, { changeId: 1, decision: 'approve', actor: actor('reviewOffice') })).toMatchObject({ kind: 'rule', rule: '000 §11', field: 'decision' });
    expect(validateChangeDecision(view, { changeId: 1, decision: 'file', actor: actor('reviewOffice') })).toBeNull();
  });

  it('001 §22: a Yiyang change is approved or rejected, not only filed', () => {
    const view = implementing();
    view.state.changeRequests.push({ changeId: 1, summary: '增加移动端', status: 'pending', requestedBy: 'unit:tester' });
    expect(validateChangeDecision(view, { changeId: 1, decision: 'file', actor: actor('reviewOffice') })).toMatchObject({ kind: 'rule', rule: '001 §22' });
    expect(validateChangeDecision(view, { changeId: 1, decision: 'approve', actor: actor('reviewOffice') })).toBeNull();
  });

  const inOperation = (proposal: Partial<ProjectProposal> = {}) => {
    const view = viewAt('finalAcceptance', null, proposal);
    view.state.stage = 'operations';
    view.state.pending = { kind: 'evaluation', stage: 'operations', role: view.profile.operations.evaluation.role };
    return view;
  };

  it('001 §36: retirement records the data disposition; Yiyang has no closure letter', () => {
    const retire = (dataDisposition?: string) => validateClose(inOperation(), { kind: 'retirement', reasons: ['系统已被替代'], ...(dataDisposition ? { dataDisposition } : {}), actor: actor('unit') });
    expect(retire()).toMatchObject({ kind: 'rule', rule: '001 §36', field: 'dataDisposition' });
    expect(retire('数据已迁移至新平台并备份')).toBeNull();
    expect(validateClose(inOperation(), { kind: 'closure', reasons: ['长期闲置'], actor: actor('reviewOffice') })?.message).toMatch(/no such procedure/);
  });

  it('001 §35: a system is not retired while a data-sharing deficiency is open (its restriction would never lift)', () => {
    const view = inOperation();
    view.state.deficiencies.push({ deficiencyId: 1, ground: 'dataNotShared', reasons: ['未按目录共享'], status: 'open', since: '2027-03-01T02:00:00.000Z' });
    const retire = () => validateClose(view, { kind: 'retirement', reasons: ['系统已被替代'], dataDisposition: '数据已迁移', actor: actor('unit') });
    expect(retire()).toMatchObject({ kind: 'conflict', rule: '001 §35', field: 'stage' });
    view.state.deficiencies[0]!.status = 'rectified';
    expect(retire()).toBeNull();
  });

  it('000 §22: the centre closes an idle Nanfeng system; 000 has no retirement article', () => {
    expect(validateClose(inOperation(nanfeng), { kind: 'closure', reasons: ['长期闲置'], actor: actor('reviewOffice') })).toBeNull();
    expect(validateClose(inOperation(nanfeng), { kind: 'closure', reasons: ['长期闲置'], actor: actor('unit') })).toMatchObject({ kind: 'forbidden', rule: '000 §22' });
    expect(validateClose(inOperation(nanfeng), { kind: 'retirement', reasons: ['停用'], dataDisposition: '已销毁', actor: actor('unit') })?.message).toMatch(/no such procedure/);
  });
});

describe("Ji'an (004) validators", () => {
  const JIAN = '吉安市行政审批局';
  const jian = { jurisdiction: 'jian' as const, unit: JIAN, investmentFen: 600 * 10_000 * 100 };
  const unit = actor('unit', JIAN);
  const ref = (kind: 'feasibilityStudy' | 'resourceCatalogue' | 'constructionSummary') => ({ documentId: `d-${kind}`, kind, sha256: 'a'.repeat(64) });

  it('004 §8: a contract before the technical review has passed is refused naming the rule, whatever the stage', () => {
    const view = viewAt('reformReview', { kind: 'review', role: 'reform' }, jian);
    const contract = { contractId: 'HT-1', contractor: '江西某公司', sumFen: 100, omYears: 3, signedDate: '2027-01-04' };
    expect(validateSubmission(view, { action: 'contract', contract, actor: unit }, NOW)).toMatchObject({ kind: 'rule', rule: '004 §8', field: 'action' });
    const procurement = viewAt('procurement', { kind: 'submission', action: 'contract' }, jian, { technicalReview: '2027-02-01T02:00:00.000Z' });
    expect(validateSubmission(procurement, { action: 'contract', contract, actor: unit }, NOW)).toMatchObject({ rule: '004 §14', field: 'supervisor' });
    expect(validateSubmission(procurement, { action: 'contract', contract, supervisor: '江西某工程监理有限公司', actor: unit }, NOW)).toBeNull();
    // The construction contract's warranty is not capped: 004 §13 caps the O&M service contracts after it.
    expect(validateSubmission(procurement, { action: 'contract', contract: { ...contract, omYears: 5 }, supervisor: '江西某工程监理有限公司', actor: unit }, NOW)).toBeNull();
  });

  it('004 §9(3): the reform commission approves only once the catalogue is handed in, and sets the acceptance date (004 §16)', () => {
    const view = viewAt('reformReview', { kind: 'review', role: 'reform' }, jian);
    const approve = (extra: Record<string, unknown> = {}) => validateDecision(view, { stage: 'reformReview', decision: 'approve', actor: actor('reform'), ...extra }, NOW);
    expect(approve({ acceptanceDueBy: '2028-03-01' })).toMatchObject({ kind: 'rule', rule: '004 §9(3)', field: 'decision' });
    view.state.documents.push({ ...ref('resourceCatalogue'), stage: 'feasibilityStudy' });
    expect(approve()).toMatchObject({ kind: 'rule', rule: '004 §16', field: 'acceptanceDueBy' });
    expect(approve({ acceptanceDueBy: '2027-03-02' })).toMatchObject({ rule: '004 §16', field: 'acceptanceDueBy' });
    expect(approve({ acceptanceDueBy: '2028-03-01' })).toBeNull();
  });

  it('004 §16: the acceptance application names every missing dossier item; documents handed in earlier count', () => {
    const view = viewAt('acceptanceApplication', { kind: 'submission', action: 'acceptanceApplication' }, jian);
    const refused = validateSubmission(view, { action: 'acceptanceApplication', documents: [ref('constructionSummary')], actor: unit }, NOW);
    expect(refused).toMatchObject({ kind: 'rule', rule: '004 §16', field: 'documentIds' });
    expect(refused?.message).toMatch(/财务报告.*审计报告.*集约化建设.*安全风险评估.*密码应用安全性评估/);
    expect(refused?.message).not.toMatch(/项目建设总结/);
  });

  it('004 §16: a deferral is asked for by the unit with a later date and decided by the reform commission, one at a time', () => {
    const view = viewAt('implementation', { kind: 'implementation', action: 'goLive' }, jian);
    const ask = (proposedDate: string) => validateDeferralRequest(view, { reasons: ['审计未完成'], proposedDate, actor: unit }, NOW);
    expect(ask('2028-06-01')).toMatchObject({ kind: 'conflict', rule: '004 §16' });
    view.state.acceptanceDue = { date: '2027-12-31', rule: '004 §16' };
    expect(ask('2027-12-31')).toMatchObject({ kind: 'rule', field: 'proposedDate' });
    expect(ask('2028-06-01')).toBeNull();
    view.state.deferrals.push({ deferralId: 1, reasons: ['审计未完成'], proposedDate: '2028-06-01', status: 'pending', requestedBy: 'unit:tester' });
    expect(ask('2028-07-01')).toMatchObject({ kind: 'conflict', field: 'deferralId' });
    const decide = (input: Record<string, unknown>) => validateDeferralDecision(view, { deferralId: 1, ...input }, NOW);
    expect(decide({ decision: 'approve', actor: actor('reviewOffice') })).toMatchObject({ kind: 'forbidden', rule: '004 §16' });
    expect(decide({ decision: 'reject', actor: actor('reform') })).toMatchObject({ kind: 'rule', field: 'reasons' });
    expect(decide({ decision: 'approve', actor: actor('reform') })).toBeNull();
    expect(validateDeferralRequest(viewAt('implementation', null), { reasons: ['x'], proposedDate: '2028-01-01', actor: actor('unit') }, NOW)?.message).toMatch(/no such procedure/);
  });

  it('004 §13: O&M service contracts are filed during O&M by the unit, at most 3 years', () => {
    const view = viewAt('finalAcceptance', null, jian);
    const file = (years: number, who = unit) => validateOmServiceContract(view, { contractId: 'YW-1', supplier: '江西某运维公司', sumFen: 100, years, signedDate: '2027-03-01', actor: who }, NOW);
    expect(file(3)).toMatchObject({ kind: 'conflict', rule: '004 §13', field: 'stage' });
    view.state.stage = 'operations';
    view.state.pending = { kind: 'evaluation', stage: 'operations', role: 'reform' };
    expect(file(4)).toMatchObject({ kind: 'rule', rule: '004 §13', field: 'years' });
    expect(file(3, actor('reform'))).toMatchObject({ kind: 'forbidden' });
    expect(file(3)).toBeNull();
    expect(validateOmServiceContract(viewAt('finalAcceptance', null), { contractId: 'YW-1', supplier: 'x', sumFen: 1, years: 1, signedDate: '2027-03-01', actor: actor('unit') }, NOW)?.message).toMatch(/no such procedure/);
  });

  it('004 §17: the big-data centre records a deficient system in service and confirms its rectification', () => {
    const view = viewAt('finalAcceptance', null, jian);
    const record = (role: Role, ground = 'dataNotShared') => validateDeficiency(view, { ground, reasons: ['未按目录共享'], actor: actor(role, JIAN) });
    expect(record('bigDataCentre')).toMatchObject({ kind: 'conflict', rule: '004 §17', field: 'stage' });
    view.state.stage = 'operations';
    view.state.pending = { kind: 'evaluation', stage: 'operations', role: 'reform' };
    expect(record('reform')).toMatchObject({ kind: 'forbidden', rule: '004 §17' });
    expect(record('bigDataCentre')).toBeNull();
    view.state.deficiencies.push({ deficiencyId: 1, ground: 'dataNotShared', reasons: ['未按目录共享'], status: 'open', since: '2027-03-01T02:00:00.000Z' });
    expect(record('bigDataCentre')).toMatchObject({ kind: 'conflict', field: 'ground' });
    expect(validateRectificationConfirmed(view, { deficiencyId: 2, actor: actor('bigDataCentre') })).toMatchObject({ kind: 'rule', field: 'deficiencyId' });
    expect(validateRectificationConfirmed(view, { deficiencyId: 1, actor: actor('bigDataCentre') })).toBeNull();
  });
});

describe('Bijie (003) validators', () => {
  const bijie = { jurisdiction: 'bijie' as const, unit: '毕节市人力资源和社会保障局', investmentFen: 300 * 10_000 * 100 };
  const bijieActor = (role: Role) => actor(role, bijie.unit);
  const report = { documentId: 'd1', kind: 'reviewReport' as const, sha256: 'a'.repeat(64) };

  it("refuses a third party's decision without its report, and accepts it with one (003 §7)", () => {
    const view = viewAt('thirdPartyReview', { kind: 'review', role: 'thirdPartyReviewer' }, bijie);
    expect(validateDecision(view, { stage: 'thirdPartyReview', decision: 'approve', actor: bijieActor('thirdPartyReviewer') }, NOW)).toMatchObject({ kind: 'rule', rule: '003 §7', field: 'documentIds' });
    expect(validateDecision(view, { stage: 'thirdPartyReview', decision: 'approve', documents: [report], actor: bijieActor('thirdPartyReviewer') }, NOW)).toBeNull();
    // A revision request needs no report yet.
    expect(validateDecision(view, { stage: 'thirdPartyReview', decision: 'requestRevision', reasons: ['经费估算依据不足'], actor: bijieActor('thirdPartyReviewer') }, NOW)).toBeNull();
  });

  it('awaits the co-signer whose turn it is at the acceptance (003 §20)', () => {
    const view = viewAt('finalAcceptance', { kind: 'review', role: 'reviewOffice' }, bijie);
    expect(validateDecision(view, { stage: 'finalAcceptance', decision: 'approve', actor: bijieActor('unit') }, NOW)).toMatchObject({ kind: 'forbidden', rule: '003 §20', field: 'actor.role' });
    expect(validateDecision(view, { stage: 'finalAcceptance', decision: 'approve', actor: bijieActor('reviewOffice') }, NOW)).toBeNull();
  });

  it('refuses a contract above the reviewed tender ceiling price (003 §14)', () => {
    const view = viewAt('procurement', { kind: 'submission', action: 'contract' }, bijie);
    view.state.tenderCeilingFen = 100_000;
    const filing = (sumFen: number) => ({
      action: 'contract', documents: [{ documentId: 'c1', kind: 'contract', sha256: 'b'.repeat(64) }],
      contract: { contractId: 'HT1', contractor: '贵州某公司', sumFen, omYears: 1, signedDate: '2027-03-01' }, actor: bijieActor('unit'),
    });
    expect(validateSubmission(view, filing(100_001), NOW)).toMatchObject({ kind: 'rule', rule: '003 §14', field: 'contract.sumFen' });
    expect(validateSubmission(view, filing(100_000), NOW)).toBeNull();
  });

  it('refuses the path while the project is postponed (003 §12)', () => {
    const view = viewAt('procurement', { kind: 'submission', action: 'contract' }, bijie);
    view.state.postponement = { since: '2027-03-01T00:00:00.000Z', reasons: ['预算执行滞后'], rule: '003 §12' };
    expect(validateSubmission(view, { action: 'contract', actor: bijieActor('unit') }, NOW)).toMatchObject({ kind: 'conflict', rule: '003 §12' });
    expect(validatePostponement(view, { action: 'postpone', reasons: ['x'], actor: bijieActor('finance') })).toMatchObject({ kind: 'conflict', rule: '003 §12', field: 'action' });
    expect(validatePostponement(view, { action: 'resume', reasons: ['已整改'], actor: bijieActor('finance') })).toBeNull();
  });

  it('records a problem, by the department, only once the project has a contract, with a date after today (003 §31)', () => {
    const view = viewAt('implementation', { kind: 'implementation', action: 'goLive' }, bijie);
    const problem = (rectifyBy: string, role: Role = 'reviewOffice') => validateProblem(view, { kind: 'securityNotEnsured', reasons: ['等保测评未完成'], rectifyBy, actor: bijieActor(role) }, NOW);
    expect(problem('2027-04-01')).toMatchObject({ kind: 'conflict', rule: '003 §31', field: 'stage' });
    view.state.contracts = [{ contractId: 'HT1', contractor: '贵州某公司', sumFen: 1, omYears: 1, signedDate: '2027-03-01' }];
    expect(problem('2027-03-02')).toMatchObject({ kind: 'rule', rule: '003 §31', field: 'rectifyBy' });
    expect(problem('2027-04-01', 'unit')).toMatchObject({ kind: 'forbidden', rule: '003 §31', field: 'actor.role' });
    expect(problem('2027-04-01')).toBeNull();
  });

  it('judges only a reported rectification, and a short one sets a new date (003 §31)', () => {
    const view = viewAt('implementation', { kind: 'implementation', action: 'goLive' }, bijie);
    view.state.problems = [{ problemId: 1, kind: 'securityNotEnsured', reasons: ['x'], rectifyBy: '2027-04-01', status: 'open', blocksMoney: null, reports: 0, since: '2027-03-01T00:00:00.000Z' }];
    const verdict = (input: Record<string, unknown>) => validateProblemVerdict(view, { problemId: 1, actor: bijieActor('reviewOffice'), ...input }, NOW);
    expect(verdict({ accepted: true })).toMatchObject({ kind: 'conflict', field: 'problemId' });
    view.state.problems[0]!.status = 'reported';
    expect(verdict({ accepted: false, reasons: ['仍不符合'] })).toMatchObject({ kind: 'rule', rule: '003 §31', field: 'rectifyBy' });
    expect(verdict({ accepted: false, reasons: ['仍不符合'], rectifyBy: '2027-04-15' })).toBeNull();
    expect(validateProblemReport(view, { problemId: 1, reasons: ['已整改'], actor: bijieActor('unit') })).toMatchObject({ kind: 'conflict', field: 'problemId' });
  });

  it('takes yearly reports only during O&M, each from a role that files it (003 §28, §33)', () => {
    const securityTest = { documentId: 's1', kind: 'securityTest' as const, sha256: 'c'.repeat(64) };
    expect(validateYearlyReport(viewAt('implementation', { kind: 'implementation', action: 'goLive' }, bijie), { documents: [securityTest], actor: bijieActor('unit') })).toMatchObject({ kind: 'conflict', rule: '003 §28' });
    const operating = viewAt('operations', { kind: 'evaluation', role: 'reviewOffice' }, bijie);
    expect(validateYearlyReport(operating, { documents: [securityTest], actor: bijieActor('unit') })).toBeNull();
    expect(validateYearlyReport(operating, { documents: [{ ...securityTest, kind: 'comprehensiveEvaluation' }], actor: bijieActor('unit') })).toMatchObject({ kind: 'forbidden', rule: '003 §33' });
  });
});
