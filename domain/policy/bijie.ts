import { SERVICE_TARGET, wan, type PolicyProfile, type ProjectFacts, type StageDefinition } from './profile';

/**
 * WORK IN PROGRESS (issue 14, branch wip/issue-14-bijie): not registered in ./index.ts. Still to do:
 * third-party reports as documents on decisions (decisions need documentIds, as submissions have);
 * the three-party contract's parties; content adjustments with an expert review on the §19 grounds;
 * postponement or termination for lagging spending (§12); the §31 problems (nine kinds) blocking further
 * project money until rectified, with a finance payment route refusing payments meanwhile; the yearly
 * §28 reports and the §33 evaluation, flagged when missing; tests on the servers, HTTP, replay, README.
 *
 * Bijie (毕节市) policy profile, seed 003 (市级信息化项目统筹管理办法, 试行). The seed sets no review
 * period: every clock is the office's service target. It has no retention (15% is 001 §19's): what
 * 003 §31 withholds is "后续项目资金", the project's further money.
 */
export const PROFILE_VERSION = 'bijie@trial';

/** 100万元 (及以上): a county project's service plan is reviewed by the city's big-data department (003 §34(3)). */
export const CITY_REVIEW_COUNTY_THRESHOLD_FEN = wan(100);

const serviceTarget = { workingDays: 20, onRevision: 'pause' as const, rule: SERVICE_TARGET };

/** 003 §34: the city's big-data department reviews the service plan. */
function cityReviewOfServicePlan(project: ProjectFacts): boolean {
  const { flags } = project;
  return Boolean(flags.thirdPartySystems || flags.upperOrSelfFunds || (flags.county && project.investmentFen >= CITY_REVIEW_COUNTY_THRESHOLD_FEN));
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
    { kind: 'review', id: 'initialReview', role: 'bigDataCentre', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end', rule: '003 §6' },
    { kind: 'review', id: 'thirdPartyReview', role: 'thirdPartyReviewer', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end', rule: '003 §7' },
    { kind: 'review', id: 'libraryEntry', role: 'bigDataCentre', clock: null, decisions: ['approve', 'reject'], onReject: 'end', rule: '003 §8' },
    // Compiled with finance, approved by the city government (003 §9).
    { kind: 'review', id: 'implementationPlan', role: 'bigDataCentre', clock: null, decisions: ['approve', 'reject'], onReject: 'end', rule: '003 §9' },
    // Zero-based, each project reviewed by finance with the big-data department (003 §10).
    { kind: 'review', id: 'budgetReview', role: 'finance', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end', rule: '003 §10' },
    {
      kind: 'submission', id: 'servicePlan', action: 'servicePlan', rule: '003 §13',
      documents: [{ kind: 'servicePlan', label: '项目服务方案 (service plan)', rule: '003 §13' }],
    },
    // The third-party body reviews the service plan and the tender ceiling price (003 §14).
    { kind: 'review', id: 'servicePlanReview', role: 'thirdPartyReviewer', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end', rule: '003 §14' },
  ];
  if (cityReviewOfServicePlan(project)) {
    list.push({ kind: 'review', id: 'cityServicePlanReview', role: 'bigDataCentre', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end', rule: '003 §34' });
  }
  list.push(
    // Procurement (003 §15) ends in the three-party service contract (003 §16).
    { kind: 'submission', id: 'procurement', action: 'contract', rule: '003 §16' },
    // Content adjustments: the unit applies, the big-data department decides after an expert review (003 §19).
    { kind: 'implementation', id: 'implementation', changes: { procedure: 'approval', role: 'bigDataCentre', rule: '003 §19' }, rule: '003 §17' },
    // The user unit accepts with the big-data department under the three-party contract (003 §20): not the provider.
    { kind: 'review', id: 'finalAcceptance', role: 'unit', clock: null, decisions: ['approve', 'reject'], onReject: 'rectify', finalAcceptance: true, rule: '003 §20' },
  );
  return list;
}

export const bijieProfile: PolicyProfile = {
  jurisdiction: 'bijie',
  version: PROFILE_VERSION,
  seed: '003',
  intakeCutoff: null,
  selfImplementationCeilingFen: null,
  stages,
  annualPlan: null,
  termination: null,
  acceptance: { rectification: { defaultWorkingDays: 20, rule: SERVICE_TARGET }, forfeiture: null },
  archiveFiling: null,
  postEvaluation: null,
  retention: null,
  omPeriod: { min: null, max: null },
  omServiceContracts: null,
  operations: {
    // TODO(issue 14): the third-party comprehensive evaluation (003 §33) and the yearly security reports (003 §28).
    evaluation: { role: 'bigDataCentre', rule: '003 §33', copyTo: null },
    closure: null,
    retirement: null,
  },
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
