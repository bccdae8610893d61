import type { Fen } from '../project';
import { SERVICE_TARGET, wan, type CloudPolicy, type DocumentRequirement, type PolicyProfile, type ProjectFacts, type StageDefinition } from './profile';

/**
 * Ji'an (吉安市) policy profile, seed 004: the measures for government IT projects (管理办法, cited
 * `004 §n`) and for the government cloud (政务云管理办法, cited `004 cloud §n`), both of 2021.
 *
 * The seed sets no review period anywhere: every review clock is the office's service target. It has no
 * retention, post-evaluation, archive filing, change procedure, termination or retirement article; those
 * procedures do not exist for Ji'an projects and are refused as such.
 */
export const PROFILE_VERSION = 'jian@2021';

/** 500万元 (含): the big-data centre's technical review includes an expert review; county projects come to the city (004 §8). */
export const EXPERT_REVIEW_THRESHOLD_FEN: Fen = wan(500);
/** 1000万元 (含): a preliminary design is required besides the feasibility study (004 §7 ¶2). */
export const PRELIMINARY_DESIGN_THRESHOLD_FEN: Fen = wan(1000);

const DEFAULT_REVIEW_WORKING_DAYS = 20;
const serviceTarget = { workingDays: DEFAULT_REVIEW_WORKING_DAYS, onRevision: 'pause' as const, rule: SERVICE_TARGET };

/** 004 §9(3): the information-resource catalogue is a precondition of approving a project. */
const RESOURCE_CATALOGUE: DocumentRequirement = { kind: 'resourceCatalogue', label: '政务信息资源目录 (information-resource catalogue)', rule: '004 §9(3)' };

/** 004 §16: what the acceptance application carries. */
export const ACCEPTANCE_DOSSIER: DocumentRequirement[] = [
  { kind: 'constructionSummary', label: '项目建设总结 (construction summary)', rule: '004 §16' },
  { kind: 'financialReport', label: '财务报告 (financial report)', rule: '004 §16' },
  { kind: 'auditReport', label: '审计报告 (audit report)', rule: '004 §16' },
  { kind: 'sharingAssessment', label: '集约化建设和信息资源共享评估报告 (intensive-construction and sharing assessment)', rule: '004 §16' },
  { kind: 'securityRiskAssessment', label: '安全风险评估报告，含等级保护测评报告 (security risk assessment with the MLPS report)', rule: '004 §16' },
  { kind: 'cryptographyAssessment', label: '密码应用安全性评估报告 (cryptography assessment)', rule: '004 §16' },
];

const technicalScheme = (rule: string): StageDefinition => ({
  kind: 'submission', id: 'technicalScheme', action: 'technicalScheme', rule,
  documents: [{ kind: 'technicalScheme', label: '技术性方案 (technical scheme)', rule }],
});

const technicalReview = (fen: Fen, rule: string): StageDefinition => ({
  kind: 'review', id: 'technicalReview', role: 'bigDataCentre', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'],
  // 投资金额超过500万元(含): the written technical opinion includes an expert review (004 §8).
  expertsRequired: fen >= EXPERT_REVIEW_THRESHOLD_FEN ? { rule: '004 §8' } : undefined,
  onReject: 'end', rule,
});

/**
 * A city project: in the plan it goes straight to the feasibility study, outside it only when urgent
 * (004 §7 ¶3, the reform commission checks the grounds); a preliminary design from 1000万; the reform
 * commission's review and approval, which needs the information-resource catalogue (004 §8, §9(3)); the
 * big-data centre's technical review (experts from 500万), before which nothing is tendered (004 §8);
 * procurement and implementation; the big-data centre confirms data sharing (004 §15); the acceptance
 * application with its dossier, by the date the approval set or as deferred (004 §16); acceptance.
 */
function cityStages(project: ProjectFacts): StageDefinition[] {
  const fen = project.investmentFen;
  const list: StageDefinition[] = [];
  if (project.planKind === 'supplementary') {
    // Outside the plan: a state, provincial or city requirement or a special reason, urgency, and
    // preliminary work deep enough — the reform commission, which approves projects (004 §4), checks them.
    list.push({ kind: 'review', id: 'urgencyReview', role: 'reform', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end', rule: '004 §7' });
  }
  list.push({
    kind: 'submission', id: 'feasibilityStudy', action: 'feasibilityStudy', rule: '004 §7',
    documents: [{ kind: 'feasibilityStudy', label: '可行性研究报告 (feasibility study)', rule: '004 §7' }],
  });
  if (fen >= PRELIMINARY_DESIGN_THRESHOLD_FEN) {
    list.push({
      kind: 'submission', id: 'designDocuments', action: 'preliminaryDesign', rule: '004 §7',
      documents: [{ kind: 'preliminaryDesign', label: '初步设计方案 (preliminary design)', rule: '004 §7' }],
    });
  }
  list.push(
    {
      kind: 'review', id: 'reformReview', role: 'reform', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end',
      approvalRequiresDocuments: [RESOURCE_CATALOGUE], approvalSetsAcceptanceDue: { rule: '004 §16' }, rule: '004 §8',
    },
    technicalScheme('004 §8'),
    technicalReview(fen, '004 §8'),
    // 政务信息化项目实行工程监理制 (004 §14): the contract filing names the supervision firm.
    { kind: 'submission', id: 'procurement', action: 'contract', supervision: { rule: '004 §14' }, rule: '004 §10' },
    { kind: 'implementation', id: 'implementation', changes: null, rule: '004 §10' },
    { kind: 'submission', id: 'dataSharingApplication', action: 'dataSharingApplication', rule: '004 §15' },
    // The big-data centre's confirmation, not the unit's declaration: without it no acceptance is organised (004 §15).
    { kind: 'review', id: 'dataSharingReview', role: 'bigDataCentre', clock: serviceTarget, decisions: ['approve', 'requestRevision'], onReject: 'end', rule: '004 §15' },
    {
      kind: 'submission', id: 'acceptanceApplication', action: 'acceptanceApplication', rule: '004 §16',
      deadline: { acceptanceDue: true, onMiss: 'breach', rule: '004 §16' },
      documents: ACCEPTANCE_DOSSIER,
    },
    // The reform commission organises the acceptance, or entrusts the competent department, which reports the result to it (004 §16).
    { kind: 'review', id: 'finalAcceptance', role: 'reform', clock: serviceTarget, decisions: ['approve', 'reject'], onReject: 'rectify', finalAcceptance: true, rule: '004 §16' },
  );
  return list;
}

/**
 * A county project of 500万 or more: approved at county level, then the city's big-data centre reviews
 * its technical scheme as it does a city project's, experts included, and nothing is tendered before
 * (004 §8 ¶2–3). That is all the city's measures ask of a county project: once its contract is filed the
 * county's own measures govern it (004 §20 ¶3), and the project leaves this city's path.
 */
function countyStages(project: ProjectFacts): StageDefinition[] {
  return [
    { kind: 'review', id: 'countyApproval', role: 'county', clock: null, decisions: ['approve', 'reject'], onReject: 'end', rule: '004 §8' },
    technicalScheme('004 §8'),
    technicalReview(project.investmentFen, '004 §8'),
    {
      kind: 'submission', id: 'procurement', action: 'contract', rule: '004 §8',
      endsProject: { reason: "contract filed after the city's technical review; from here the county's own measures govern", rule: '004 §20' },
    },
  ];
}

/** 004 cloud measures §9–15, with the working-day periods they set. */
export const jianCloudPolicy: CloudPolicy = {
  rule: '004 cloud §9',
  authority: 'bigDataCentre',
  provider: 'cloudProvider',
  application: { countyApplicant: 'county', rule: '004 cloud §10' },
  review: { clock: serviceTarget, rule: '004 cloud §11' },
  expertSizing: { rule: '004 cloud §11' },
  responsibilityLetter: { rule: '004 cloud §12' },
  opening: { workingDays: 3, rule: '004 cloud §12' },
  deployment: { workingDays: 30, rule: '004 cloud §13' },
  fallback: { months: 3, rule: '004 cloud §13' },
  resize: { rule: '004 cloud §14' },
  exit: { migrationWorkingDays: 20, rule: '004 cloud §15' },
};

export const jianProfile: PolicyProfile = {
  jurisdiction: 'jian',
  version: PROFILE_VERSION,
  seed: '004',
  // The plan is the reform commission's, approved by the city government (004 §6); the seed sets no intake date.
  intakeCutoff: null,
  selfImplementationCeilingFen: null,
  stages: (project) => (project.flags.county ? countyStages(project) : cityStages(project)),
  // In the plan (004 §6) or, urgent and outside it, on the stated grounds (004 §7 ¶3).
  annualPlan: { rule: '004 §6', supplementary: { rule: '004 §7', basisRequired: true } },
  termination: null,
  acceptance: {
    // 004 sets neither a rectification period nor a forfeiture: the deciding body sets the date, and the acceptance is tried again.
    rectification: { defaultWorkingDays: 20, rule: SERVICE_TARGET },
    forfeiture: null,
  },
  archiveFiling: null,
  postEvaluation: null,
  retention: null,
  // The construction contract's maintenance period is its warranty (维保期), free of charge; 004 sets no
  // bounds on it. The O&M service contracts after the warranty run at most three years (004 §13).
  omPeriod: { min: null, max: null },
  omServiceContracts: { maxYears: 3, rule: '004 §13' },
  operations: {
    // The reform commission with the departments concerned supervises and evaluates (004 §5 评估评价), but
    // 004 sets no yearly round: the yearly evaluation is the office's, configurable.
    evaluation: { role: 'reform', rule: SERVICE_TARGET, copyTo: null },
    closure: null,
    retirement: null,
  },
  // The big-data centre, which manages information-resource sharing (004 §4), records a deficient system
  // and confirms its rectification; until then the unit builds nothing new (004 §17).
  // 004 ties no money to it: sharing is "an important basis" for O&M funding (004 §9(3)), not a block.
  developmentRestriction: {
    role: 'bigDataCentre', grounds: ['dataNotShared', 'dataCollectedTwice', 'notInSystemCatalogue', 'cryptoOrSecurityNotMet'], rule: '004 §17',
    stopsOmFunding: false, exceptionApprovedBy: null,
  },
  procurementGate: { afterStage: 'technicalReview', rule: '004 §8' },
  acceptanceDeferral: { role: 'reform', rule: '004 §16' },
  outOfScope: [
    {
      rule: '004 §8', field: 'investmentFen', applies: (facts) => Boolean(facts.flags.county) && facts.investmentFen < EXPERT_REVIEW_THRESHOLD_FEN,
      statement: "a county project comes under the city's measures from 500万 (含), for the city's technical review; below that the county's own measures govern (004 §20)",
    },
  ],
  cloud: jianCloudPolicy,
  defaultReviewWorkingDays: DEFAULT_REVIEW_WORKING_DAYS,
  catalogueScenarios: [
    { label: 'city, below 500万', facts: { investmentFen: wan(300), planKind: 'annual', flags: {} } },
    { label: 'city, 500万 or more', facts: { investmentFen: EXPERT_REVIEW_THRESHOLD_FEN, planKind: 'annual', flags: {} } },
    { label: 'city, 1000万 or more', facts: { investmentFen: PRELIMINARY_DESIGN_THRESHOLD_FEN, planKind: 'annual', flags: {} } },
    { label: 'urgent, outside the plan (004 §7 ¶3)', facts: { investmentFen: wan(300), planKind: 'supplementary', flags: {} } },
    { label: 'county, 500万 or more', facts: { investmentFen: EXPERT_REVIEW_THRESHOLD_FEN, planKind: 'annual', flags: { county: true } } },
  ],
};
