import type { CloudActionInput, CloudApplication } from '../../domain/cloud';
import type { Actor } from '../../domain/lifecycle';
import { RECORD_INTEGRITY } from '../../domain/lifecycle';
import { profileFor } from '../../domain/policy';
import { jianCloudPolicy } from '../../domain/policy/jian';
import type { Role } from '../../domain/records';
import { LIFECYCLE } from '../../domain/refusal';
import { initialCloudState, type CloudLedger } from '../../workflows/cloud/run';
import { applied, applyCloudAction, fireClock } from '../../workflows/cloud/steps';
import { pendingActions } from '../../workflows/cloud/pending';
import { validateApplication, validateCloudAction } from '../../workflows/cloud/validators';
import { cloudActionInputSchema } from '../../domain/cloud';

/**
 * The cloud resource's validators as pure functions: each refusal's kind (403 forbidden, 409 conflict,
 * 422 rule), its article — as the Ji'an profile writes it — and its field. The states are made by the
 * workflow's own pure steps, so they are the states a resource really passes through.
 */
const CITY_UNIT = '吉安市行政审批局';
const COUNTY_UNIT = '吉水县行政审批局';
const jian = profileFor('jian');
const policy = jianCloudPolicy;

const actor = (role: Role, unit?: string): Actor => ({ id: `${role}:tester`, role, ...(role === 'unit' ? { unit: unit ?? CITY_UNIT } : {}) });
const at = (instant: string) => new Date(instant);
const RESOURCES = { vcpu: 8, memoryGiB: 32, storageGiB: 500 };

function application(overrides: Partial<CloudApplication> = {}): CloudApplication {
  return { resourceId: 'JA-CLOUD-001', jurisdiction: 'jian', systemName: '吉安市一网通办平台', unit: CITY_UNIT, county: false, resources: RESOURCES, ...overrides };
}

/** A resource applied for at `when`, by a city unit unless `county`. */
function resource(when = '2026-03-02T10:00:00+08:00', county = false): CloudLedger {
  const app = application(county ? { county: true, unit: COUNTY_UNIT } : {});
  const applicant = county ? actor('county') : actor('unit');
  const ledger: CloudLedger = {
    state: initialCloudState({ application: app, applicant, profileVersion: jian.version }, at(when).toISOString()),
    policy, sequence: 0, events: [], notices: [],
  };
  applied(ledger, at(when), applicant);
  return ledger;
}

/** Takes steps as the workflow does: each must pass its validator first. */
function take(ledger: CloudLedger, when: string, ...inputs: CloudActionInput[]): CloudLedger {
  for (const input of inputs) {
    const refusal = validateCloudAction(ledger, input, at(when));
    if (refusal) throw new Error(`refused ${input.action}: ${refusal.rule}: ${refusal.message}`);
    applyCloudAction(ledger, cloudActionInputSchema.parse(input), at(when));
    ledger.state.pending = pendingActions(ledger.state, policy);
  }
  return ledger;
}

const unit = actor('unit');
const authority = actor('bigDataCentre');
const provider = actor('cloudProvider');

const toDeployment = (ledger: CloudLedger, when: string) =>
  take(
    ledger, when,
    { action: 'decide', subject: 'application', decision: 'approve', actor: authority },
    { action: 'size', experts: ['张高工', '李教授'], resources: RESOURCES, actor: authority },
    { action: 'signLetter', signedBy: '王主任', signedOn: when.slice(0, 10), confirmationFormFilled: true, actor: ledger.state.county ? actor('county') : unit },
    { action: 'notifyProvider', actor: authority },
    { action: 'opened', actor: provider },
  );
const ALL_DONE = ['deployment', 'testing', 'securityRiskPreAssessment', 'cutover'] as const;
const inService = (when: string) => take(toDeployment(resource(when), when), when, { action: 'cutover', completed: [...ALL_DONE], actor: unit });

describe('cloud application (validateApplication)', () => {
  it('refuses a jurisdiction without cloud measures: "seed 001: yiyang has no government cloud measures"', () => {
    expect(validateApplication(profileFor('yiyang'), application({ jurisdiction: 'yiyang' }), actor('unit'))).toEqual({
      kind: 'rule', rule: 'seed 001', field: 'jurisdiction', message: expect.stringMatching(/^yiyang has no government cloud measures/),
    });
    expect(validateApplication(profileFor('nanfeng'), application({ jurisdiction: 'nanfeng' }), actor('unit'))?.message).toMatch(/^nanfeng has no government cloud measures/);
  });

  it("lets a city unit apply for itself and a county for its units, and refuses a unit applying for a county's system (004 cloud §10)", () => {
    expect(validateApplication(jian, application(), actor('unit'))).toBeNull();
    expect(validateApplication(jian, application({ county: true, unit: COUNTY_UNIT }), actor('county'))).toBeNull();
    expect(validateApplication(jian, application({ county: true, unit: COUNTY_UNIT }), actor('unit', COUNTY_UNIT))).toMatchObject({ kind: 'forbidden', rule: '004 cloud §10', field: 'county' });
    expect(validateApplication(jian, application(), actor('county'))).toMatchObject({ kind: 'forbidden', rule: '004 cloud §10', field: 'county' });
    expect(validateApplication(jian, application({ unit: '吉安市教育局' }), actor('unit'))).toMatchObject({ kind: 'forbidden', rule: '004 cloud §10', field: 'unit' });
    expect(validateApplication(jian, { ...application({ county: true }), unit: undefined }, actor('county'))).toMatchObject({ kind: 'rule', rule: '004 cloud §10', field: 'unit' });
    expect(validateApplication(jian, application(), actor('reviewOffice'))).toMatchObject({ kind: 'forbidden', rule: '004 cloud §10' });
  });
});

describe('cloud resource steps (validateCloudAction)', () => {
  const when = '2026-03-02T10:00:00+08:00';

  it('has the authority decide the application, with reasons for a rejection or revision, and experts size it afterwards (004 cloud §11)', () => {
    const ledger = resource(when);
    expect(validateCloudAction(ledger, { action: 'decide', subject: 'application', decision: 'approve', actor: unit }, at(when))).toMatchObject({ kind: 'forbidden', rule: '004 cloud §11', field: 'actor.role' });
    expect(validateCloudAction(ledger, { action: 'decide', subject: 'application', decision: 'reject', actor: authority }, at(when))).toMatchObject({ kind: 'rule', rule: '004 cloud §11', field: 'reasons' });
    expect(validateCloudAction(ledger, { action: 'decide', subject: 'application', decision: 'requestRevision', actor: authority }, at(when))).toMatchObject({ kind: 'rule', field: 'reasons' });
    expect(validateCloudAction(ledger, { action: 'decide', subject: 'application', decision: 'approve', resources: RESOURCES, actor: authority }, at(when))).toMatchObject({ kind: 'rule', rule: '004 cloud §11', field: 'resources' });
    expect(validateCloudAction(ledger, { action: 'size', experts: ['张高工'], resources: RESOURCES, actor: authority }, at(when))).toMatchObject({ kind: 'conflict', rule: LIFECYCLE });
    take(ledger, when, { action: 'decide', subject: 'application', decision: 'approve', actor: authority });
    expect(ledger.state.stage).toBe('sizing');
    expect(validateCloudAction(ledger, { action: 'decide', subject: 'application', decision: 'approve', actor: authority }, at(when))).toMatchObject({ kind: 'conflict', field: 'action' });
    expect(validateCloudAction(ledger, { action: 'size', experts: [], resources: RESOURCES, actor: authority }, at(when))).toMatchObject({ kind: 'rule', rule: '004 cloud §11', field: 'experts' });
    expect(validateCloudAction(ledger, { action: 'size', experts: ['张高工'], resources: RESOURCES, actor: provider }, at(when))).toMatchObject({ kind: 'forbidden', rule: '004 cloud §11' });
    expect(validateCloudAction(ledger, { action: 'size', experts: ['张高工'], resources: RESOURCES, actor: authority }, at(when))).toBeNull();
  });

  it('pauses the review for a revision by the applicant, who alone may revise (004 cloud §11)', () => {
    const ledger = take(resource(when), when, { action: 'decide', subject: 'application', decision: 'requestRevision', reasons: ['补充等保定级材料'], actor: authority });
    expect(ledger.state.stage).toBe('revision');
    expect(ledger.state.clocks.find((c) => c.id === 'review')?.pausedAt).toBeDefined();
    expect(validateCloudAction(ledger, { action: 'decide', subject: 'application', decision: 'approve', actor: authority }, at(when))).toMatchObject({ kind: 'conflict' });
    expect(validateCloudAction(ledger, { action: 'revise', actor: actor('unit', '吉安市教育局') }, at(when))).toMatchObject({ kind: 'forbidden', field: 'actor.unit' });
    take(ledger, when, { action: 'revise', resources: { ...RESOURCES, vcpu: 4 }, actor: unit });
    expect(ledger.state).toMatchObject({ stage: 'review', requested: { vcpu: 4 } });
  });

  it('needs the responsibility letter and the opening confirmation form from the unit before the notice to open (004 cloud §12)', () => {
    const ledger = take(resource(when), when, { action: 'decide', subject: 'application', decision: 'approve', actor: authority }, { action: 'size', experts: ['张高工'], resources: RESOURCES, actor: authority });
    expect(validateCloudAction(ledger, { action: 'notifyProvider', actor: authority }, at(when))).toMatchObject({ kind: 'conflict' });
    const letter = { action: 'signLetter', signedBy: '王主任', signedOn: '2026-03-02', confirmationFormFilled: true } as const;
    expect(validateCloudAction(ledger, { ...letter, confirmationFormFilled: false, actor: unit }, at(when))).toMatchObject({ kind: 'rule', rule: '004 cloud §12', field: 'confirmationFormFilled' });
    expect(validateCloudAction(ledger, { ...letter, signedOn: '2026-03-03', actor: unit }, at(when))).toMatchObject({ kind: 'rule', rule: RECORD_INTEGRITY, field: 'signedOn' });
    expect(validateCloudAction(ledger, { ...letter, actor: actor('county') }, at(when))).toMatchObject({ kind: 'forbidden', rule: '004 cloud §12' });
    expect(validateCloudAction(ledger, { ...letter, actor: authority }, at(when))).toMatchObject({ kind: 'forbidden', rule: '004 cloud §12' });
    take(ledger, when, { ...letter, actor: unit });
    expect(validateCloudAction(ledger, { action: 'notifyProvider', actor: provider }, at(when))).toMatchObject({ kind: 'forbidden', rule: '004 cloud §12' });
    take(ledger, when, { action: 'notifyProvider', actor: authority });
    expect(ledger.state.clocks.find((c) => c.id === 'opening')).toMatchObject({ roles: ['cloudProvider'], workingDays: 3, rule: '004 cloud §12', onEnd: 'breach' });
    expect(validateCloudAction(ledger, { action: 'opened', actor: authority }, at(when))).toMatchObject({ kind: 'forbidden', rule: '004 cloud §12' });
    expect(validateCloudAction(ledger, { action: 'opened', actor: provider }, at(when))).toBeNull();
  });

  it('takes the cut-over only with deployment, testing, security-risk pre-assessment and cut-over declared done, within a 30-working-day clock (004 cloud §13)', () => {
    const ledger = toDeployment(resource(when), when);
    expect(ledger.state.clocks.find((c) => c.id === 'deployment')).toMatchObject({ workingDays: 30, onEnd: 'forcedExit', rule: '004 cloud §13' });
    const refused = validateCloudAction(ledger, { action: 'cutover', completed: ['deployment', 'cutover'], actor: unit }, at(when));
    expect(refused).toMatchObject({ kind: 'rule', rule: '004 cloud §13', field: 'completed' });
    expect(refused?.message).toMatch(/测试 \(testing\); 安全风险预评估/);
    expect(validateCloudAction(ledger, { action: 'cutover', completed: [...ALL_DONE], actor: provider }, at(when))).toMatchObject({ kind: 'forbidden', rule: '004 cloud §13' });
    expect(validateCloudAction(ledger, { action: 'cutover', completed: [...ALL_DONE], actor: unit }, at(when))).toBeNull();
  });

  it('puts a system not cut over in time on the exit path, forced, with its reason and article (004 cloud §13)', () => {
    const ledger = toDeployment(resource(when), when);
    const clock = ledger.state.clocks.find((c) => c.id === 'deployment')!;
    clock.due = { date: '2026-04-14', provisional: false, startsAt: '2026-04-13T16:00:00.000Z', endsAt: '2026-04-14T16:00:00.000Z' };
    fireClock(ledger, clock, 'end', at('2026-04-15T00:00:00+08:00'));
    expect(ledger.state).toMatchObject({ stage: 'migration', exit: { forced: true, rule: '004 cloud §13', reasons: [expect.stringMatching(/not completed within 30 working days/)] } });
    expect(ledger.state.timeline.filter((t) => t.kind === 'forcedExit')).toEqual([expect.objectContaining({ rule: '004 cloud §13' })]);
    expect(validateCloudAction(ledger, { action: 'cutover', completed: [...ALL_DONE], actor: unit }, at('2026-04-15T09:00:00+08:00'))).toMatchObject({ kind: 'conflict' });
  });

  it('keeps the old system 3 months: a cut-over on 15 March allows the decommissioning from 16 June, not before (004 cloud §13)', () => {
    const ledger = inService('2026-03-15T10:00:00+08:00');
    expect(ledger.state.fallback).toMatchObject({ cutoverOn: '2026-03-15', keptUntil: '2026-06-15', allowedFrom: '2026-06-16' });
    const early = validateCloudAction(ledger, { action: 'fallbackDecommissioned', actor: unit }, at('2026-06-15T23:59:59+08:00'));
    expect(early).toMatchObject({ kind: 'rule', rule: '004 cloud §13', field: 'action' });
    expect(early?.message).toMatch(/from 2026-06-16 \(earliest allowed date\)/);
    expect(validateCloudAction(ledger, { action: 'fallbackDecommissioned', actor: unit }, at('2026-06-16T00:00:00+08:00'))).toBeNull();
    expect(validateCloudAction(ledger, { action: 'fallbackDecommissioned', actor: provider }, at('2026-06-16T00:00:00+08:00'))).toMatchObject({ kind: 'forbidden', rule: '004 cloud §13' });
    // A month without the corresponding day ends the period on its last day (Civil Code art. 202).
    expect(inService('2026-11-30T10:00:00+08:00').state.fallback).toMatchObject({ keptUntil: '2027-02-28', allowedFrom: '2027-03-01' });
  });

  it('reviews a resize in service: an increase sized by named experts, a decrease approved; one resize at a time, rejections with reasons (004 cloud §14)', () => {
    const ledger = inService(when);
    const up = { ...RESOURCES, vcpu: 16 };
    expect(validateCloudAction(ledger, { action: 'requestResize', direction: 'scaleUp', resources: { ...RESOURCES, vcpu: 4 }, actor: unit }, at(when))).toMatchObject({ kind: 'rule', rule: '004 cloud §14', field: 'resources' });
    expect(validateCloudAction(ledger, { action: 'requestResize', direction: 'scaleDown', resources: up, actor: unit }, at(when))).toMatchObject({ kind: 'rule', rule: '004 cloud §14' });
    take(ledger, when, { action: 'requestResize', direction: 'scaleUp', resources: up, actor: unit });
    expect(validateCloudAction(ledger, { action: 'requestResize', direction: 'scaleUp', resources: up, actor: unit }, at(when))).toMatchObject({ kind: 'conflict' });
    expect(validateCloudAction(ledger, { action: 'requestExit', actor: unit }, at(when))).toMatchObject({ kind: 'conflict' });
    const approve = { action: 'decide', subject: 'resize', decision: 'approve' } as const;
    expect(validateCloudAction(ledger, { ...approve, experts: ['张高工'], actor: authority }, at(when))).toMatchObject({ kind: 'rule', rule: '004 cloud §14', field: 'resources' });
    expect(validateCloudAction(ledger, { ...approve, resources: up, actor: authority }, at(when))).toMatchObject({ kind: 'rule', rule: '004 cloud §14', field: 'experts' });
    expect(validateCloudAction(ledger, { ...approve, resources: RESOURCES, experts: ['张高工'], actor: authority }, at(when))).toMatchObject({ kind: 'rule', field: 'resources' });
    expect(validateCloudAction(ledger, { ...approve, resources: up, experts: ['张高工'], actor: unit }, at(when))).toMatchObject({ kind: 'forbidden', rule: '004 cloud §14' });
    expect(validateCloudAction(ledger, { action: 'decide', subject: 'resize', decision: 'reject', actor: authority }, at(when))).toMatchObject({ kind: 'rule', field: 'reasons' });
    expect(validateCloudAction(ledger, { action: 'resizeApplied', actor: provider }, at(when))).toMatchObject({ kind: 'conflict' });
    take(ledger, when, { ...approve, resources: { ...up, vcpu: 12 }, experts: ['张高工'], actor: authority });
    expect(validateCloudAction(ledger, { action: 'resizeApplied', actor: unit }, at(when))).toMatchObject({ kind: 'forbidden', rule: '004 cloud §14' });
    take(ledger, when, { action: 'resizeApplied', actor: provider });
    expect(ledger.state.allocated).toEqual({ ...RESOURCES, vcpu: 12 });
    take(ledger, when, { action: 'requestResize', direction: 'scaleDown', resources: { ...RESOURCES, vcpu: 12, storageGiB: 200 }, actor: unit }, { action: 'decide', subject: 'resize', decision: 'approve', actor: authority }, { action: 'resizeApplied', actor: provider });
    expect(ledger.state.allocated).toEqual({ ...RESOURCES, vcpu: 12, storageGiB: 200 });
    expect(ledger.state.resizes.map((r) => [r.direction, r.status])).toEqual([['scaleUp', 'applied'], ['scaleDown', 'applied']]);
  });

  it('erases the data only after the 20-working-day migration window, jointly by unit and provider, once each (004 cloud §15)', () => {
    const ledger = take(inService(when), when, { action: 'requestExit', reasons: ['系统整合'], actor: unit });
    expect(validateCloudAction(ledger, { action: 'decide', subject: 'exit', decision: 'requestRevision', reasons: ['x'], actor: authority }, at(when))).toMatchObject({ kind: 'rule', rule: '004 cloud §15' });
    take(ledger, when, { action: 'decide', subject: 'exit', decision: 'approve', actor: authority });
    expect(ledger.state.clocks.find((c) => c.id === 'migration')).toMatchObject({ workingDays: 20, onEnd: 'windowEnd', rule: '004 cloud §15' });
    const early = validateCloudAction(ledger, { action: 'dataErasure', actor: unit }, at(when));
    expect(early).toMatchObject({ kind: 'rule', rule: '004 cloud §15', field: 'action' });
    expect(early?.message).toMatch(/after the 20-working-day migration window/);
    expect(validateCloudAction(ledger, { action: 'dataErasure', actor: authority }, at(when))).toMatchObject({ kind: 'forbidden', rule: '004 cloud §15' });
    expect(validateCloudAction(ledger, { action: 'reclamation', actor: provider }, at(when))).toMatchObject({ kind: 'conflict' });
    const window = ledger.state.clocks.find((c) => c.id === 'migration')!;
    window.due = { date: '2026-03-30', provisional: false, startsAt: '2026-03-29T16:00:00.000Z', endsAt: '2026-03-30T16:00:00.000Z' };
    fireClock(ledger, window, 'end', at('2026-03-31T00:00:00+08:00'));
    expect(ledger.state.stage).toBe('dataErasure');
    // The migration was never reported: a breach at the window's end, escalated to the authority.
    expect(ledger.state.timeline.filter((t) => t.kind === 'breach' || t.kind === 'escalation').map((t) => [t.kind, t.rule])).toEqual([['breach', '004 cloud §15'], ['escalation', '004 cloud §15']]);
    take(ledger, '2026-03-31T09:00:00+08:00', { action: 'dataErasure', actor: provider });
    expect(validateCloudAction(ledger, { action: 'dataErasure', actor: provider }, at('2026-03-31T09:00:00+08:00'))).toMatchObject({ kind: 'conflict', rule: '004 cloud §15' });
    take(ledger, '2026-03-31T09:00:00+08:00', { action: 'dataErasure', actor: unit });
    expect(ledger.state.stage).toBe('reclamation');
    expect(validateCloudAction(ledger, { action: 'reclamation', actor: unit }, at('2026-03-31T09:00:00+08:00'))).toMatchObject({ kind: 'forbidden', rule: '004 cloud §15' });
    take(ledger, '2026-03-31T09:00:00+08:00', { action: 'reclamation', actor: provider });
    expect(ledger.state).toMatchObject({ stage: 'reclaimed', status: 'ended', outcome: { stage: 'reclaimed', rule: '004 cloud §15' } });
    expect(validateCloudAction(ledger, { action: 'reclamation', actor: provider }, at('2026-03-31T09:00:00+08:00'))).toMatchObject({ kind: 'conflict', rule: '004 cloud §15' });
  });

  it("lets the county government take the using unit's steps on a county's system, and no other unit (004 cloud §10)", () => {
    const ledger = toDeployment(resource(when, true), when);
    expect(ledger.state.pending).toEqual([expect.objectContaining({ action: 'cutover', roles: ['unit', 'county'], unit: COUNTY_UNIT })]);
    expect(validateCloudAction(ledger, { action: 'cutover', completed: [...ALL_DONE], actor: actor('county') }, at(when))).toBeNull();
    expect(validateCloudAction(ledger, { action: 'cutover', completed: [...ALL_DONE], actor: actor('unit', COUNTY_UNIT) }, at(when))).toBeNull();
    expect(validateCloudAction(ledger, { action: 'cutover', completed: [...ALL_DONE], actor: actor('unit') }, at(when))).toMatchObject({ kind: 'forbidden', field: 'actor.unit' });
    // A county government that names its county acts only for the systems it applied for.
    ledger.state.applicant.unit = '吉水县人民政府';
    expect(validateCloudAction(ledger, { action: 'cutover', completed: [...ALL_DONE], actor: { ...actor('county'), unit: '新干县人民政府' } }, at(when))).toMatchObject({ kind: 'forbidden', rule: '004 cloud §13', field: 'actor.unit' });
    expect(validateCloudAction(ledger, { action: 'cutover', completed: [...ALL_DONE], actor: { ...actor('county'), unit: '吉水县人民政府' } }, at(when))).toBeNull();
  });
});
