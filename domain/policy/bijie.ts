import { SERVICE_TARGET, wan, type PolicyProfile, type ProjectFacts, type StageDefinition } from './profile';

/**
 * Bijie (毕节市) policy profile, seed 003 (市级信息化项目统筹管理办法, 试行). The big-data department
 * (大数据部门) is the review office: it reviews demands, keeps the project library, compiles the annual
 * implementation plan, signs the three-party contract, accepts with the unit and supervises. The seed
 * sets no review period, so every clock is the office's service target. It has no retention (the 15%
 * is 001 §19's) and no archive filing, post-evaluation, closure or retirement article: what 003 §31
 * withholds is the project's further money (后续项目资金), every payment of it.
 */
export const PROFILE_VERSION = 'bijie@trial';

/** 100万元 (及以上): a county project's service plan is reviewed by the city's big-data department (003 §34(3)). */
export const CITY_REVIEW_COUNTY_THRESHOLD_FEN = wan(100);

const serviceTarget = { workingDays: 20, onRevision: 'pause' as const, rule: SERVICE_TARGET };
const thirdPartyReport = (rule: string) => ({ kind: 'reviewReport' as const, label: '第三方评审报告 (third-party review report)', rule });

/** 003 §34: the city's big-data department reviews the service plan. */
function cityReviewOfServicePlan(project: ProjectFacts): boolean {
  const { flags } = project;
  // (1) is a city unit's use of a third party's systems; (3) a county project of 100万 or more.
  return Boolean((flags.thirdPartySystems && !flags.county) || flags.upperOrSelfFunds || (flags.county && project.investmentFen >= CITY_REVIEW_COUNTY_THRESHOLD_FEN));
}

function stages(project: ProjectFacts): StageDefinition[] {
  const list: StageDefinition[] = [
    // 003 §5: the demand scheme, whose cryptography plan an expert review or a third-party body has assessed (§5(4)).
    {
      kind: 'submission', id: 'demandScheme', action: 'demandScheme', rule: '003 §5',
      documents: [
        { kind: 'proposal', label: '需求方案 (demand scheme)', rule: '003 §5' },
        { kind: 'cryptographyAssessment', label: '密码应用方案专家评审或第三方评估意见 (cryptography plan review)', rule: '003 §5(4)' },
      ],
    },
    // The department's initial review, with the departments concerned, makes the list proposed for the library (003 §6).
    { kind: 'review', id: 'initialReview', role: 'reviewOffice', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end', rule: '003 §6' },
    // The third-party review body the department commissions reviews the demand scheme and writes its report (003 §7).
    {
      kind: 'review', id: 'thirdPartyReview', role: 'thirdPartyReviewer', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end',
      decisionReport: thirdPartyReport('003 §7'), rule: '003 §7',
    },
    { kind: 'review', id: 'libraryEntry', role: 'reviewOffice', clock: null, decisions: ['approve', 'reject'], onReject: 'end', rule: '003 §8' },
    // Compiled by the department with finance and approved by the city government, which the department records (003 §9).
    { kind: 'review', id: 'implementationPlan', role: 'reviewOffice', clock: null, decisions: ['approve', 'reject'], onReject: 'end', rule: '003 §9' },
    // Zero-based, each project reviewed by finance with the big-data department (003 §10).
    { kind: 'review', id: 'budgetReview', role: 'finance', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end', rule: '003 §10' },
    { kind: 'submission', id: 'servicePlan', action: 'servicePlan', rule: '003 §13', documents: [{ kind: 'servicePlan', label: '项目服务方案 (service plan)', rule: '003 §13' }] },
    // The third-party body reviews the service plan and the tender ceiling price, which its approval fixes (003 §14).
    {
      kind: 'review', id: 'servicePlanReview', role: 'thirdPartyReviewer', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end',
      decisionReport: thirdPartyReport('003 §14'), approvalSetsTenderCeiling: { rule: '003 §14' }, rule: '003 §14',
    },
  ];
  if (cityReviewOfServicePlan(project)) {
    list.push({ kind: 'review', id: 'cityServicePlanReview', role: 'reviewOffice', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end', rule: '003 §34' });
  }
  list.push(
    // Procurement (003 §15) ends in the three-party service contract, within the reviewed ceiling price (003 §14, §16).
    {
      kind: 'submission', id: 'procurement', action: 'contract', rule: '003 §15',
      documents: [{ kind: 'contract', label: '项目三方服务合同 (three-party service contract)', rule: '003 §16' }],
      withinTenderCeiling: { rule: '003 §14' },
    },
    // The big-data department is the contract's third party: it signs, or sends the contract back (003 §16).
    { kind: 'review', id: 'threePartyContract', role: 'reviewOffice', clock: serviceTarget, decisions: ['approve', 'requestRevision'], onReject: 'end', rule: '003 §16' },
    // Content adjustments: the unit applies on a listed ground, the department decides after an expert review (003 §19).
    {
      kind: 'implementation', id: 'implementation', rule: '003 §17',
      changes: {
        procedure: 'approval', role: 'reviewOffice', rule: '003 §19',
        grounds: { codes: ['upperRequirement', 'planImprovement', 'withinApprovedFramework'], rule: '003 §19' },
        expertReview: { rule: '003 §19' },
      },
    },
    // The user unit accepts together with the big-data department, under the three-party contract (003 §20): the provider does not sign.
    {
      kind: 'review', id: 'finalAcceptance', role: 'unit', clock: null, decisions: ['approve', 'reject'], onReject: 'rectify', finalAcceptance: true,
      coSigners: { roles: ['reviewOffice'], rule: '003 §20' }, rule: '003 §20',
    },
  );
  return list;
}

/** After the budget the project's money is being spent: from then on lagging spending postpones or ends it (003 §12). */
const SPENDING_STAGES = ['servicePlan', 'servicePlanReview', 'cityServicePlanReview', 'procurement', 'threePartyContract', 'implementation'] as const;

export const bijieProfile: PolicyProfile = {
  jurisdiction: 'bijie',
  version: PROFILE_VERSION,
  seed: '003',
  intakeCutoff: null,
  selfImplementationCeilingFen: null,
  stages,
  annualPlan: null,
  // 003 §12 names no actor: finance, which executes the budget (003 §3, §10), postpones or ends the project — a profile value.
  termination: { role: 'finance', grounds: ['spendingLag'], duringStages: ['servicePlan', 'procurement', 'implementation'], rule: '003 §12' },
  postponement: { role: 'finance', duringStages: SPENDING_STAGES, rule: '003 §12' },
  acceptance: { rectification: { defaultWorkingDays: 20, rule: SERVICE_TARGET }, forfeiture: null },
  archiveFiling: null,
  postEvaluation: null,
  retention: null,
  omPeriod: { min: null, max: null },
  omServiceContracts: null,
  operations: {
    // The department, with the unit, has a third-party body evaluate the system in use (003 §33).
    evaluation: { role: 'reviewOffice', rule: '003 §33', copyTo: null },
    closure: null,
    retirement: null,
  },
  problems: {
    role: 'reviewOffice',
    kinds: [
      'notAsApproved', 'contentChangedWithoutApproval', 'notOnCityDataCentre', 'notOnServicePlatform', 'dataNotSharedOrOpened',
      'securityNotEnsured', 'noDomesticCryptography', 'unapprovedThirdPartySystem', 'otherNonCompliance',
    ],
    rule: '003 §31',
  },
  yearlyReports: [
    // The provider tests, assesses and reports every year (每年定期开展), to the department among others (003 §28).
    { kind: 'securityTest', label: '信息安全检测报告 (security test)', filedBy: ['unit', 'reviewOffice'], rule: '003 §28', periodRule: '003 §28' },
    { kind: 'cryptographyAssessment', label: '密码安全性评估报告 (cryptography assessment)', filedBy: ['unit', 'reviewOffice'], rule: '003 §28', periodRule: '003 §28' },
    { kind: 'riskAssessment', label: '风险评估报告 (risk assessment)', filedBy: ['unit', 'reviewOffice'], rule: '003 §28', periodRule: '003 §28' },
    // 003 §33 sets no period; a yearly round, since its result informs the next year's procurement, is a configurable value.
    { kind: 'comprehensiveEvaluation', label: '第三方综合评估报告 (comprehensive evaluation)', filedBy: ['reviewOffice'], rule: '003 §33', periodRule: SERVICE_TARGET },
  ],
  developmentRestriction: null,
  procurementGate: null,
  acceptanceDeferral: null,
  cloud: null,
  defaultReviewWorkingDays: 20,
  catalogueScenarios: [
    { label: 'city project', facts: { investmentFen: wan(300), planKind: 'annual', flags: {} } },
    { label: 'county project of 100万 or more', facts: { investmentFen: wan(100), planKind: 'annual', flags: { county: true } } },
  ],
};
