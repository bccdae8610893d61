import { CONFIGURABLE_VALUE, SERVICE_TARGET, wan, type PolicyProfile, type ProjectFacts, type StageDefinition } from './profile';

/**
 * Suqian (宿迁市) policy profile, seed 002: the data bureau's interpretation (政策解读) of the city's
 * measures for city-level information projects. The seed has no article numbers — it is cited by its
 * numbered sections, `002 (五)` — and no figures: every period and count below that the engine needs is a
 * configurable value or a service target, never an article. The city data bureau (市数据局) is the single
 * gatekeeper (统一扎口管理, 002 (二)): it is the review office of every step but the budget.
 */
export const PROFILE_VERSION = 'suqian@2024';

/** The six review steps (002 (五)) are the bureau's: the seed sets no period, so each clock is a service target. */
const serviceTarget = { workingDays: 20, onRevision: 'pause' as const, rule: SERVICE_TARGET };

/** Trial run before the acceptance application: required by 002 (七), its length is not in the seed. */
export const TRIAL_RUN_MONTHS = 3;

function stages(project: ProjectFacts): StageDefinition[] {
  // A stock system (存量信息化项目) was built before: it is registered straight into operation (002 (一)).
  if (project.flags.stockSystem) return [];
  const review = (id: 'libraryRegistration' | 'schemePreReview' | 'listManagement' | 'preImplementationReview' | 'approval', withRevision: boolean): StageDefinition => ({
    kind: 'review', id, role: 'reviewOffice', clock: serviceTarget,
    decisions: withRevision ? ['approve', 'reject', 'requestRevision'] : ['approve', 'reject'], onReject: 'end', rule: '002 (五)',
  });
  return [
    // The six steps of 002 (五), in its order.
    review('libraryRegistration', true),
    review('schemePreReview', true),
    // The seed names the budget review, not who makes it: finance, the budget's reviewer in RULES.md's actors, is the profile's choice.
    { kind: 'review', id: 'budgetReview', role: 'finance', clock: serviceTarget, decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end', rule: '002 (五)' },
    review('listManagement', false),
    review('preImplementationReview', true),
    review('approval', false),
    // Implemented centrally (集中实施), changes only in the listed cases, decided by the bureau (002 (六)).
    { kind: 'submission', id: 'procurement', action: 'contract', rule: '002 (六)' },
    { kind: 'implementation', id: 'implementation', changes: { procedure: 'approval', role: 'reviewOffice', rule: '002 (六)' }, rule: '002 (六)' },
    {
      kind: 'submission', id: 'acceptanceApplication', action: 'acceptanceApplication',
      // The trial run before acceptance is required (验收前试运行时限规定); its length is a configurable value.
      notBefore: { months: TRIAL_RUN_MONTHS, after: 'implementation', rule: CONFIGURABLE_VALUE },
      rule: '002 (七)',
    },
    { kind: 'review', id: 'finalAcceptance', role: 'reviewOffice', clock: serviceTarget, decisions: ['approve', 'reject'], onReject: 'rectify', finalAcceptance: true, rule: '002 (七)' },
  ];
}

export const suqianProfile: PolicyProfile = {
  jurisdiction: 'suqian',
  version: PROFILE_VERSION,
  seed: '002',
  // 002 (四) sets the time of the yearly application, but not the date: no intake cut-off is enforced.
  intakeCutoff: null,
  // Units do not build on their own (原则上各单位不得自行建设, 002 (二)).
  selfImplementationCeilingFen: null,
  stages,
  annualPlan: null,
  termination: null,
  acceptance: { rectification: { defaultWorkingDays: 20, rule: SERVICE_TARGET }, forfeiture: null },
  // The records filed after acceptance (验收后资料备案规范), without a period.
  archiveFiling: { workingDays: null, rule: '002 (七)', omFundingBlockedUntilFiled: null },
  // Asset registration after completion (竣工后资产登记管理).
  assetRegistration: { rule: '002 (七)' },
  postEvaluation: null,
  retention: null,
  omPeriod: { min: null, max: null },
  omServiceContracts: null,
  operations: {
    // Performance evaluation is routine, by the bureau, and its result informs the funding (002 (八)).
    // (常态化开展项目绩效评价, 002 (二), (八)) sets no period: recording it each O&M year is a configurable round.
    evaluation: { role: 'reviewOffice', rule: '002 (八)', copyTo: null, periodRule: CONFIGURABLE_VALUE },
    closure: null,
    // The cases in which a project exits (项目退出情形): the unit retires it, its data disposition filed with the bureau.
    retirement: { rule: '002 (七)', filedWith: 'reviewOffice' },
  },
  // Stock systems come under management (002 (一)) through the bureau, the single gatekeeper (002 (二)):
  // it registers them, as it designates the key projects a third party evaluates (002 (八)).
  stockSystems: { rule: '002 (一)', registeredBy: 'reviewOffice' },
  keyProjects: { designatedBy: 'reviewOffice', rule: '002 (八)' },
  monitoring: {
    // Every system in operation is monitored each month; one that does not run properly is forced to exit (002 (二)).
    rule: '002 (二)',
    reportedBy: 'reviewOffice',
    failingMonths: { count: 3, rule: CONFIGURABLE_VALUE },
    rectificationWindow: { months: 2, rule: CONFIGURABLE_VALUE },
  },
  yearlyReports: [
    // Stock projects file an O&M service report every year (每年提交运维服务情况报表, 002 (八)).
    {
      kind: 'omServiceReport', label: '运维服务情况报表 (yearly O&M service report)', filedBy: ['unit'], rule: '002 (八)', periodRule: '002 (八)',
      appliesTo: (facts) => Boolean(facts.flags.stockSystem),
    },
    // The bureau has a third party evaluate key projects (重点信息化项目专项绩效评估); the seed sets no period: yearly is configurable.
    {
      kind: 'performanceEvaluation', label: '第三方专项绩效评估报告 (third-party evaluation of a key project)', filedBy: ['thirdPartyReviewer', 'reviewOffice'], rule: '002 (八)', periodRule: CONFIGURABLE_VALUE,
      appliesTo: (facts) => Boolean(facts.flags.keyProject),
    },
  ],
  developmentRestriction: null,
  procurementGate: null,
  acceptanceDeferral: null,
  cloud: null,
  defaultReviewWorkingDays: 20,
  catalogueScenarios: [
    { label: 'new project', facts: { investmentFen: wan(200), planKind: 'annual', flags: {} } },
    { label: 'key project (重点信息化项目)', facts: { investmentFen: wan(2000), planKind: 'annual', flags: { keyProject: true } } },
    { label: 'stock system (存量信息化项目)', facts: { investmentFen: wan(50), planKind: 'annual', flags: { stockSystem: true } } },
  ],
};
