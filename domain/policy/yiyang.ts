import type { Fen } from '../project';
import { SERVICE_TARGET, wan, type PolicyProfile, type Precondition, type ProjectFacts, type StageDefinition } from './profile';

/**
 * Yiyang (益阳市) policy profile, seed 001 — the default profile.
 * Thresholds follow the Civil Code conventions of RULES.md: 以上/以下 include the number itself, and
 * where both branches of 001 §26 include 200万, exactly 200万 takes the stricter (expert) branch,
 * consistent with 001 §11.
 */

/** A project keeps the profile version it was registered under for its whole life (RULES.md). */
export const PROFILE_VERSION = 'yiyang@2022';

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
 * The path of a Yiyang project. 50万 or less: no plan and no approval, the unit implements it and files
 * the contract (001 §8). Larger: the pre-technical review admits the proposal to the annual plan
 * (001 §5–6), or the joint review to the supplementary plan (001 §7), then design, review, approval,
 * procurement, implementation and acceptance.
 */
function stages(project: ProjectFacts): StageDefinition[] {
  const fen = project.investmentFen;
  if (fen <= SELF_IMPLEMENTATION_CEILING_FEN) {
    return [{ kind: 'submission', id: 'selfImplementation', action: 'contract', rule: '001 §8' }];
  }
  const expert = fen >= EXPERT_THRESHOLD_FEN;
  const list: StageDefinition[] = [];
  if (project.planKind === 'annual') {
    list.push(
      { kind: 'review', id: 'preTechnicalReview', role: 'technicalReviewer', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end', rule: '001 §5' },
      { kind: 'plan', id: 'annualPlan', rule: '001 §6' },
    );
  } else {
    // 一事一议: joint review by the review office with reform and finance, then the leading group and
    // the government's approval into the supplementary plan (001 §7).
    list.push(
      { kind: 'review', id: 'jointReview', role: 'reviewOffice', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end', rule: '001 §7' },
      { kind: 'review', id: 'supplementaryApproval', role: 'reviewOffice', clock: null, decisions: ['approve', 'reject'], onReject: 'end', rule: '001 §7' },
    );
  }
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
    { kind: 'submission', id: 'procurement', action: 'contract', rule: '001 §25' },
    { kind: 'implementation', id: 'implementation', changeReviewRole: 'reviewOffice', rule: '001 §22' },
  );
  if (expert) {
    list.push({ kind: 'submission', id: 'preliminaryAcceptance', action: 'preliminaryAcceptance', rule: '001 §26(2)' });
  }
  list.push({
    kind: 'submission', id: 'acceptanceApplication', action: 'acceptanceApplication',
    notBefore: expert ? { months: 3, after: 'preliminaryAcceptance', rule: '001 §26(2)' } : undefined,
    preconditions: acceptancePreconditions(project.flags), rule: '001 §26',
  });
  if (project.flags.stateOrProvincialFunding) {
    list.push({ kind: 'review', id: 'preAcceptance', role: 'reviewOffice', clock: serviceTarget, decisions: ['approve', 'reject'], onReject: 'rectify', rule: '001 §27' });
  }
  list.push(
    expert
      ? {
          kind: 'review', id: 'finalAcceptance', role: 'reviewOffice', clock: { workingDays: 10, onRevision: 'pause', rule: '001 §26(2)' },
          decisions: ['approve', 'reject'], expertsRequired: { rule: '001 §26(2)' }, onReject: 'rectify', rule: '001 §26(2)',
        }
      : // Under 200万 the unit organises acceptance itself and reports it to the review office (001 §26(1)).
        { kind: 'review', id: 'finalAcceptance', role: 'unit', clock: null, decisions: ['approve', 'reject'], onReject: 'rectify', rule: '001 §26(1)' },
  );
  return list;
}

export const yiyangProfile: PolicyProfile = {
  jurisdiction: 'yiyang',
  version: PROFILE_VERSION,
  seed: '001',
  intakeCutoff: { month: 9, day: 30, rule: '001 §5' },
  selfImplementationCeilingFen: SELF_IMPLEMENTATION_CEILING_FEN,
  stages,
  acceptance: { maxFailures: 2, rectificationWorkingDays: 20, rule: '001 §28' },
  archiveFiling: { workingDays: null, rule: '001 §29' },
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
  minOmYears: { years: 3, rule: '001 §21' },
  operations: { evaluationRole: 'reviewOffice', evaluationRule: '001 §19', closureRule: '001 §36' },
  defaultReviewWorkingDays: DEFAULT_REVIEW_WORKING_DAYS,
  catalogueScenarios: [
    { label: '≤ 50万 (self-implemented, 001 §8)', facts: { investmentFen: SELF_IMPLEMENTATION_CEILING_FEN, planKind: 'annual', flags: {} } },
    { label: '50万–200万, annual plan', facts: { investmentFen: wan(150), planKind: 'annual', flags: {} } },
    { label: '50万–200万, supplementary plan', facts: { investmentFen: wan(150), planKind: 'supplementary', flags: {} } },
    { label: '≥ 200万', facts: { investmentFen: EXPERT_THRESHOLD_FEN, planKind: 'annual', flags: {} } },
    { label: '≥ 500万', facts: { investmentFen: PROFESSIONAL_DESIGN_THRESHOLD_FEN, planKind: 'annual', flags: {} } },
    { label: '≥ 1000万', facts: { investmentFen: FEASIBILITY_THRESHOLD_FEN, planKind: 'annual', flags: {} } },
    { label: 'state/provincial funds', facts: { investmentFen: EXPERT_THRESHOLD_FEN, planKind: 'annual', flags: { stateOrProvincialFunding: true } } },
    {
      label: 'with assessments declared (MLPS, cryptography, software, classified)',
      facts: { investmentFen: wan(150), planKind: 'annual', flags: { mlpsRequired: true, cryptoAssessmentRequired: true, softwareTestingRequired: true, classifiedSystemTestingRequired: true } },
    },
  ],
};
