import type { Actor, PendingAction, ProjectState } from '../../domain/lifecycle';
import { profileFor } from '../../domain/policy';
import type { ReviewStage, SubmissionStage } from '../../domain/policy/profile';
import type { ProjectProposal } from '../../domain/project';
import type { Role } from '../../domain/records';
import { initialState, type Inbox } from '../../workflows/lifecycle/run';
import {
  validateDecision,
  validateSubmission,
  type LifecycleView,
} from '../../workflows/lifecycle/validators';
import { aProposal } from '../helpers/proposals';

/**
 * The lifecycle's update validators are pure functions of the project's state, its profile and the
 * input: these tests need no Temporal server. Each refusal carries its kind, which alone decides the
 * HTTP status (403 forbidden, 409 conflict, 422 rule).
 */
const UNIT = '益阳市城市管理局';
const actor = (role: Role, unit?: string): Actor => ({ id: `${role}:tester`, role, ...(role === 'unit' ? { unit: unit ?? UNIT } : {}) });

function viewAt(stageId: string, pending: Partial<PendingAction> | null, proposal: Partial<ProjectProposal> = {}): LifecycleView {
  const project = aProposal(proposal);
  const profile = profileFor(project.jurisdiction);
  const stages = profile.stages({ investmentFen: project.investmentFen, planKind: project.planKind, flags: project.flags });
  const def = stages.find((s) => s.id === stageId);
  const state: ProjectState = { ...initialState(project, profile.version, stages, '2027-01-04T01:00:00.000Z'), stage: stageId as ProjectState['stage'] };
  const inbox: Inbox = { changeRequests: [], changeDecisions: [], calendarChanged: false };
  if (pending && def) state.pending = { stage: stageId as PendingAction['stage'], role: 'unit', kind: def.kind === 'review' ? 'review' : 'submission', ...pending } as PendingAction;
  return {
    state, profile, stages, inbox,
    currentReview: def?.kind === 'review' ? (def as ReviewStage) : undefined,
    currentSubmission: def?.kind === 'submission' ? (def as SubmissionStage) : undefined,
  };
}

describe('decision validator', () => {
  const schemeReview = () => viewAt('schemeReview', { kind: 'review', role: 'technicalReviewer' }, { investmentFen: 3_000_000 * 100 });

  it('accepts the deciding role with its experts (001 §11)', () => {
    expect(validateDecision(schemeReview(), { stage: 'schemeReview', decision: 'approve', experts: ['张教授'], actor: actor('technicalReviewer') })).toBeNull();
  });

  it('refuses the wrong role as forbidden', () => {
    expect(validateDecision(schemeReview(), { stage: 'schemeReview', decision: 'approve', experts: ['张教授'], actor: actor('finance') }))
      .toMatchObject({ kind: 'forbidden', rule: '001 §11', field: 'actor.role' });
  });

  it('refuses a decision at a stage that is not open as a conflict', () => {
    expect(validateDecision(schemeReview(), { stage: 'approval', decision: 'approve', actor: actor('reviewOffice') }))
      .toMatchObject({ kind: 'conflict', rule: 'lifecycle', field: 'stage' });
  });

  it('refuses a rejection without reasons as a rule (一次性告知)', () => {
    expect(validateDecision(schemeReview(), { stage: 'schemeReview', decision: 'reject', experts: ['张教授'], actor: actor('technicalReviewer') }))
      .toMatchObject({ kind: 'rule', field: 'reasons' });
  });

  it('001 §11: at 200万 or more the scheme review names its experts', () => {
    expect(validateDecision(schemeReview(), { stage: 'schemeReview', decision: 'approve', actor: actor('technicalReviewer') }))
      .toMatchObject({ kind: 'rule', rule: '001 §11', field: 'experts' });
  });

  it('000 §8(2)2: a Nanfeng initial-review refusal cites its grounds', () => {
    const view = viewAt('initialReview', { kind: 'review', role: 'reviewOffice' }, { jurisdiction: 'nanfeng', unit: UNIT });
    expect(validateDecision(view, { stage: 'initialReview', decision: 'reject', reasons: ['数据未上云'], actor: actor('reviewOffice') }))
      .toMatchObject({ kind: 'rule', rule: '000 §8(2)2', field: 'refusalGrounds' });
    expect(validateDecision(view, { stage: 'initialReview', decision: 'reject', reasons: ['数据未上云'], refusalGrounds: ['dataNotOnGovCloud'], actor: actor('reviewOffice') })).toBeNull();
  });

  it('refuses any action on an ended project as a conflict under the rule that ended it', () => {
    const view = schemeReview();
    view.state.status = 'ended';
    view.state.outcome = { stage: 'rejected', reason: '方案不可行', rule: '001 §11' };
    expect(validateDecision(view, { stage: 'schemeReview', decision: 'approve', actor: actor('technicalReviewer') })).toMatchObject({ kind: 'conflict', rule: '001 §11' });
  });
});

describe('submission validator', () => {
  const procurement = () => viewAt('procurement', { kind: 'submission', action: 'contract', rule: '001 §25' });
  const contract = (over: Record<string, unknown> = {}) => ({ contractId: 'HT-1', contractor: '某科技公司', sumFen: 100_000_00, omYears: 3, signedDate: '2027-03-01', ...over });

  it('another unit may not submit for the project (forbidden)', () => {
    expect(validateSubmission(procurement(), { action: 'contract', contract: contract(), actor: actor('unit', '别的单位') }, new Date('2027-03-02T02:00:00Z')))
      .toMatchObject({ kind: 'forbidden', field: 'actor.unit' });
  });

  it('a contract cannot be filed as signed after today (record integrity)', () => {
    expect(validateSubmission(procurement(), { action: 'contract', contract: contract({ signedDate: '2027-03-03' }), actor: actor('unit') }, new Date('2027-03-02T02:00:00Z')))
      .toMatchObject({ kind: 'rule', field: 'contract.signedDate' });
  });

  it('001 §21: the O&M period is at least three years', () => {
    expect(validateSubmission(procurement(), { action: 'contract', contract: contract({ omYears: 2 }), actor: actor('unit') }, new Date('2027-03-02T02:00:00Z')))
      .toMatchObject({ kind: 'rule', rule: '001 §21', field: 'contract.omYears' });
  });

  it('an action the project does not await is a conflict', () => {
    expect(validateSubmission(procurement(), { action: 'goLive', actor: actor('unit') }, new Date('2027-03-02T02:00:00Z')))
      .toMatchObject({ kind: 'conflict', field: 'action' });
  });
});
