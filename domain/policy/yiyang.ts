import type { Fen } from '../project';
import { SERVICE_TARGET, wan, type PolicyProfile, type Precondition, type ProjectFacts, type StageDefinition } from './profile';

/**
 * Yiyang (益阳市) policy profile, seed 001 — the default profile.
 * Thresholds follow the Civil Code conventions of RULES.md: 以上/以下 include the number itself, and
 * where both branches of 001 §26 include 200万, exactly 200万 takes the stricter (expert) branch,
 * consistent with 001 §11.
 */

/**
 * A project keeps the profile version it was registered under for its whole life (RULES.md).
 * yiyang@2022: the first encoding of the 2022 measures. yiyang@2022-r2 (release 0.4.0) corrects three
 * paths against the seed: ≤ 50万 is exempt from plan and approval only (001 §8, §26, §29); the
 * supplementary plan takes three decisions (001 §7); pre-acceptance needs state/provincial funds and
 * city matching funds, and the city recognises the upper body's acceptance (001 §27). Projects
 * registered under yiyang@2022 keep their path. yiyang@2022-r3 (release 0.5.0) adds the engineering
 * supervision the contract filing must name (001 §24) and the data-sharing restriction with its O&M
 * money block (001 §35); projects registered under r2 keep their rules.
 */
export const PROFILE_VERSION = 'yiyang@2022-r3';
export const SECOND_PROFILE_VERSION = 'yiyang@2022-r2';
export const FIRST_PROFILE_VERSION = 'yiyang@2022';

/** 50万元: "50万元以下" includes 50万 (001 §8). */
export const SELF_IMPLEMENTATION_CEILING_FEN: Fen = wan(50);
/** 200万元: expert scheme review, preliminary acceptance + trial run, expert acceptance (001 §11, §26). */
export const EXPERT_THRESHOLD_FEN: Fen = wan(200);
/** 500万元: preliminary design by a professional agency (001 §10). */
export const PROFESSIONAL_DESIGN_THRESHOLD_FEN: Fen = wan(500);
/** 1000万元: feasibility study approved by 发改委 (001 §10). */
export const FEASIBILITY_THRESHOLD_FEN: Fen = wan(1000);

const DEFAULT_REVIEW_WORKING_DAYS = 20;
const serviceTarget = { workingDays: DEFAULT_REVIEW_WORKING_DAYS, onRevision: 'pause' as const, rule: SERVICE_TARGET };

export function acceptancePreconditions(flags: ProjectFacts['flags']): Precondition[] {
  const preconditions: Precondition[] = [{ id: 'dataSharing', label: '数据共享开放 (data sharing)', rule: '001 §26(3)' }];
  if (flags.softwareTestingRequired) preconditions.push({ id: 'softwareTesting', label: '软件测评 (software testing)', rule: '001 §26(4)' });
  if (flags.classifiedSystemTestingRequired) preconditions.push({ id: 'classifiedSystemTesting', label: '涉密信息系统测评 (classified-system testing)', rule: '001 §26(4)' });
  if (flags.mlpsRequired) preconditions.push({ id: 'mlpsAssessment', label: '等保测评 (MLPS assessment)', rule: '001 §26(4)' });
  if (flags.cryptoAssessmentRequired) preconditions.push({ id: 'cryptoAssessment', label: '密评 (commercial cryptography assessment)', rule: '001 §26(4)' });
  return preconditions;
}

/**
 * The path of a Yiyang project, in the profile's edition 1 (yiyang@2022), 2 (yiyang@2022-r2) or 3
 * (yiyang@2022-r3: the contract filing names the supervision firm, 001 §24).
 * Above 50万: the pre-technical review admits the proposal to the annual plan (001 §5–6), or the
 * supplementary plan takes it (001 §7); then design, review, approval, procurement, implementation and
 * acceptance. 50万 or less: no plan and no approval (001 §8) — the unit files its contract, implements,
 * and the project is accepted before use (001 §26).
 */
function stagesOf(edition: 1 | 2 | 3) {
  return function stages(project: ProjectFacts): StageDefinition[] {
    const fen = project.investmentFen;
    const selfImplemented = fen <= SELF_IMPLEMENTATION_CEILING_FEN;
    if (selfImplemented && edition === 1) {
      return [{ kind: 'submission', id: 'selfImplementation', action: 'contract', endsProject: { reason: 'contract filed with the review office', rule: '001 §8' }, rule: '001 §8' }];
    }
    const expert = fen >= EXPERT_THRESHOLD_FEN;
    // 001 §27: pre-acceptance by the city, then the state/provincial body accepts and the city recognises it.
    // 项目实行工程监理制 (001 §24): from edition 3 the contract filing names the supervision firm.
    const supervision = edition >= 3 ? { supervision: { rule: '001 §24' } } : {};
    const upperAcceptance = edition === 1 ? Boolean(project.flags.stateOrProvincialFunding) : Boolean(project.flags.stateOrProvincialFunding && project.flags.cityMatchingFunds);
    const list: StageDefinition[] = [];
    if (selfImplemented) {
      // 001 §8: the contract is filed with the review office after signing.
      list.push({ kind: 'submission', id: 'procurement', action: 'contract', notify: { role: 'reviewOffice', rule: '001 §8' }, ...supervision, rule: '001 §8' });
    } else {
      list.push(...planStages(project, edition));
      if (fen >= FEASIBILITY_THRESHOLD_FEN) {
        list.push({ kind: 'review', id: 'feasibilityApproval', role: 'reform', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end', rule: '001 §10' });
      }
      list.push(
        {
          kind: 'submission', id: 'designDocuments', action: 'preliminaryDesign', rule: '001 §10',
          designAgencyRequired: fen >= PROFESSIONAL_DESIGN_THRESHOLD_FEN ? { rule: '001 §10' } : undefined,
        },
        {
          kind: 'review', id: 'schemeReview', role: 'technicalReviewer', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'],
          expertsRequired: expert ? { rule: '001 §11' } : undefined, onReject: 'end', rule: '001 §11',
        },
        {
          kind: 'review', id: 'approval', role: 'reviewOffice', clock: { workingDays: 10, onRevision: 'pause', rule: '001 §14' },
          decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end', rule: '001 §13',
        },
        { kind: 'submission', id: 'implementationStart', action: 'startImplementation', deadline: { months: 6, onMiss: 'reapproval', backTo: 'approval', rule: '001 §15' }, rule: '001 §15' },
        { kind: 'review', id: 'budgetReview', role: 'finance', clock: serviceTarget, decisions: ['approve', 'requestRevision'], onReject: 'end', rule: '001 §17' },
        // 001 §25: the procurement documents and the contract are filed with the review office.
        { kind: 'submission', id: 'procurement', action: 'contract', ...(edition >= 2 ? { notify: { role: 'reviewOffice' as const, rule: '001 §25' } } : {}), ...supervision, rule: '001 §25' },
      );
    }
    list.push({ kind: 'implementation', id: 'implementation', changes: { procedure: 'approval', role: 'reviewOffice', rule: '001 §22' }, rule: '001 §22' });
    if (expert) {
      list.push({ kind: 'submission', id: 'preliminaryAcceptance', action: 'preliminaryAcceptance', rule: '001 §26(2)' });
    }
    list.push({
      kind: 'submission', id: 'acceptanceApplication', action: 'acceptanceApplication',
      notBefore: expert ? { months: 3, after: 'preliminaryAcceptance', rule: '001 §26(2)' } : undefined,
      preconditions: acceptancePreconditions(project.flags), rule: '001 §26',
    });
    if (upperAcceptance) {
      list.push({ kind: 'review', id: 'preAcceptance', role: 'reviewOffice', clock: serviceTarget, decisions: ['approve', 'reject'], onReject: 'rectify', rule: '001 §27' });
    }
    if (upperAcceptance && edition >= 2) {
      // The state or provincial body accepts the project; the review office records that the city recognises the result.
      list.push({ kind: 'review', id: 'finalAcceptance', role: 'reviewOffice', clock: null, decisions: ['approve', 'reject'], onReject: 'rectify', finalAcceptance: true, rule: '001 §27' });
    } else if (expert) {
      list.push({
        kind: 'review', id: 'finalAcceptance', role: 'reviewOffice', clock: { workingDays: 10, onRevision: 'pause', rule: '001 §26(2)' },
        decisions: ['approve', 'reject'], expertsRequired: { rule: '001 §26(2)' }, onReject: 'rectify', finalAcceptance: true,
        clockPausesForRectification: { rule: '001 §26(2)' }, rule: '001 §26(2)',
      });
    } else {
      // Under 200万 the unit organises acceptance itself and reports it to the review office (001 §26(1)).
      list.push({ kind: 'review', id: 'finalAcceptance', role: 'unit', clock: null, decisions: ['approve', 'reject'], onReject: 'rectify', finalAcceptance: true, rule: '001 §26(1)' });
    }
    return list;
  };
}

/** Into the annual plan (001 §5–6) or, 一事一议, the supplementary plan (001 §7). */
function planStages(project: ProjectFacts, edition: 1 | 2 | 3): StageDefinition[] {
  if (project.planKind === 'annual') {
    return [
      { kind: 'review', id: 'preTechnicalReview', role: 'technicalReviewer', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end', rule: '001 §5' },
      { kind: 'plan', id: 'annualPlan', rule: '001 §6' },
    ];
  }
  // The review office organises the joint review with reform and finance and issues the joint opinion;
  // the leading group decides; the city government approves it into the supplementary plan (001 §7).
  const jointReview: StageDefinition = { kind: 'review', id: 'jointReview', role: 'reviewOffice', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end', rule: '001 §7' };
  if (edition === 1) {
    return [jointReview, { kind: 'review', id: 'supplementaryApproval', role: 'reviewOffice', clock: null, decisions: ['approve', 'reject'], onReject: 'end', rule: '001 §7' }];
  }
  return [
    jointReview,
    { kind: 'review', id: 'leadingGroupDecision', role: 'reviewOffice', clock: null, decisions: ['approve', 'reject'], onReject: 'end', rule: '001 §7' },
    { kind: 'review', id: 'governmentApproval', role: 'reviewOffice', clock: null, decisions: ['approve', 'reject'], onReject: 'end', rule: '001 §7' },
  ];
}

export const yiyangProfile: PolicyProfile = {
  jurisdiction: 'yiyang',
  version: PROFILE_VERSION,
  seed: '001',
  intakeCutoff: { month: 9, day: 30, rule: '001 §5' },
  selfImplementationCeilingFen: SELF_IMPLEMENTATION_CEILING_FEN,
  stages: stagesOf(3),
  annualPlan: { rule: '001 §6', supplementary: { rule: '001 §7', basisRequired: true } },
  // The unit terminates on the three grounds of 001 §20, with a written explanation to the review office.
  termination: {
    role: 'unit',
    grounds: ['forceMajeure', 'implementationFailure', 'contractorRefusesRectification'],
    duringStages: ['procurement', 'implementation', 'preliminaryAcceptance', 'acceptanceApplication'],
    rule: '001 §20',
  },
  acceptance: {
    rectification: { defaultWorkingDays: 20, rule: '001 §28' },
    forfeiture: { afterFailures: 2, rule: '001 §28' },
  },
  archiveFiling: { workingDays: null, rule: '001 §29', omFundingBlockedUntilFiled: null },
  postEvaluation: { role: 'reviewOffice', rule: '001 §31' },
  retention: {
    withheldBasisPoints: 1500,
    tranches: [
      { trancheNo: 1, basisPoints: 500, yearsAfterAcceptance: 1, condition: 'postEvaluation' },
      { trancheNo: 2, basisPoints: 500, yearsAfterAcceptance: 2, condition: 'assessment' },
      { trancheNo: 3, basisPoints: 500, yearsAfterAcceptance: 3, condition: 'assessment' },
    ],
    rule: '001 §19',
  },
  // 一般不少于3年, 法律法规规章和上级政策另有规定的除外 (001 §21).
  omPeriod: { min: { years: 3, rule: '001 §21', exceptionWithLegalBasis: true }, max: null },
  operations: {
    evaluation: { role: 'reviewOffice', rule: '001 §19', copyTo: null },
    closure: null,
    retirement: { rule: '001 §36', filedWith: 'reviewOffice' },
  },
  // 未按要求共享数据资源或者重复采集数据的政务信息系统: no O&M funding, and the unit builds, rebuilds or
  // extends no system, unless the review office (市政务管理服务局) approves a necessary one (001 §35).
  developmentRestriction: { role: 'reviewOffice', grounds: ['dataNotShared', 'dataCollectedTwice'], rule: '001 §35', stopsOmFunding: true, exceptionApprovedBy: 'reviewOffice' },
  omServiceContracts: null,
  procurementGate: null,
  acceptanceDeferral: null,
  cloud: null,
  defaultReviewWorkingDays: DEFAULT_REVIEW_WORKING_DAYS,
  catalogueScenarios: [
    { label: '≤ 50万 (self-implemented, 001 §8)', facts: { investmentFen: SELF_IMPLEMENTATION_CEILING_FEN, planKind: 'annual', flags: {} } },
    { label: '50万–200万, annual plan', facts: { investmentFen: wan(150), planKind: 'annual', flags: {} } },
    { label: '50万–200万, supplementary plan', facts: { investmentFen: wan(150), planKind: 'supplementary', flags: {} } },
    { label: '≥ 200万', facts: { investmentFen: EXPERT_THRESHOLD_FEN, planKind: 'annual', flags: {} } },
    { label: '≥ 500万', facts: { investmentFen: PROFESSIONAL_DESIGN_THRESHOLD_FEN, planKind: 'annual', flags: {} } },
    { label: '≥ 1000万', facts: { investmentFen: FEASIBILITY_THRESHOLD_FEN, planKind: 'annual', flags: {} } },
    { label: 'state/provincial funds with city matching funds', facts: { investmentFen: EXPERT_THRESHOLD_FEN, planKind: 'annual', flags: { stateOrProvincialFunding: true, cityMatchingFunds: true } } },
    {
      label: 'with assessments declared (MLPS, cryptography, software, classified)',
      facts: { investmentFen: wan(150), planKind: 'annual', flags: { mlpsRequired: true, cryptoAssessmentRequired: true, softwareTestingRequired: true, classifiedSystemTestingRequired: true } },
    },
  ],
};

/** The second encoding (release 0.4.0): no supervision rule; kept for the projects registered under it. */
export const yiyangSecondProfile: PolicyProfile = { ...yiyangProfile, version: SECOND_PROFILE_VERSION, stages: stagesOf(2), developmentRestriction: null };
/** The first encoding (release 0.3.0 and before): kept for the projects registered under it. */
export const yiyangFirstProfile: PolicyProfile = { ...yiyangSecondProfile, version: FIRST_PROFILE_VERSION, stages: stagesOf(1) };
