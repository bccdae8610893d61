import { SERVICE_TARGET, wan, type PolicyProfile, type ProjectFacts, type StageDefinition } from './profile';

/**
 * Nanfeng (南丰镇, Zhangjiagang) policy profile, seed 000: four review stages with working-day clocks,
 * trial run of 3 months (6 for major projects), pre-acceptance, 5-day archive filing, closure letters.
 */
export const PROFILE_VERSION = 'nanfeng@2022';

/** 000 §8(2)2: grounds on which the initial review refuses a project outright. */
export const INITIAL_REVIEW_REFUSAL_GROUNDS = [
  'violatesChapter2Principles', // 违反本办法第二章建设原则及相关政策
  'dataNotOnGovCloud', // 未将数据存储于市政务云
  'dataNotSharedOrCollectedTwice', // 未按要求共享数据资源或者重复采集数据
  'cryptoOrSecurityNotMet', // 不符合密码应用要求和网络信息安全管理，或存在重大安全隐患
  'paddedScheme', // 方案过于堆砌文字、大幅摘抄产品说明
] as const;

const DEFAULT_REVIEW_WORKING_DAYS = 20;

function stages(project: ProjectFacts): StageDefinition[] {
  return [
    {
      kind: 'review', id: 'initialReview', role: 'reviewOffice', clock: { workingDays: 7, onRevision: 'pause', rule: '000 §8(2)' },
      decisions: ['approve', 'reject', 'requestRevision'], refusalGrounds: { codes: INITIAL_REVIEW_REFUSAL_GROUNDS, rule: '000 §8(2)2' },
      onReject: 'end', rule: '000 §8(2)',
    },
    {
      // The city big-data bureau's review: a revision request gives the unit 10 working days, and the
      // review time starts again from zero (重新起计). 000 §8(3) sets no length for the review itself:
      // the office's service target applies.
      kind: 'review', id: 'upperReview', role: 'technicalReviewer',
      clock: { workingDays: DEFAULT_REVIEW_WORKING_DAYS, onRevision: 'restart', rule: SERVICE_TARGET, onRevisionRule: '000 §8(3)' },
      revisionWorkingDays: { workingDays: 10, rule: '000 §8(3)' },
      decisions: ['approve', 'reject', 'requestRevision'], onReject: 'end', rule: '000 §8(3)',
    },
    {
      kind: 'review', id: 'reviewOpinion', role: 'reviewOffice', clock: { workingDays: 3, onRevision: 'pause', rule: '000 §8(4)' },
      decisions: ['approve', 'reject'], onReject: 'end', rule: '000 §8(4)',
    },
    { kind: 'submission', id: 'procurement', action: 'contract', rule: '000 §9' },
    // A change of the main content is filed with the integrated command centre (备案), not approved (000 §11).
    { kind: 'implementation', id: 'implementation', changes: { procedure: 'filing', role: 'reviewOffice', rule: '000 §11' }, rule: '000 §11' },
    {
      kind: 'submission', id: 'acceptanceApplication', action: 'acceptanceApplication',
      // Go-live at least 3 months before acceptance, 6 for a major project (000 §12).
      notBefore: { months: project.flags.major ? 6 : 3, after: 'implementation', rule: '000 §12' },
      preconditions: [{ id: 'dataCatalogue', label: '政务信息资源目录注册并实时归集 (data catalogue registered, data flowing)', rule: '000 §13' }],
      rule: '000 §14',
    },
    {
      kind: 'review', id: 'preAcceptance', role: 'reviewOffice', clock: { workingDays: 7, onRevision: 'pause', rule: '000 §14' },
      decisions: ['approve', 'reject'], onReject: 'rectify', rule: '000 §14',
    },
    // The unit organises the acceptance evaluation itself (000 §10, §14).
    { kind: 'review', id: 'finalAcceptance', role: 'unit', clock: null, decisions: ['approve', 'reject'], onReject: 'rectify', finalAcceptance: true, rule: '000 §14' },
  ];
}

export const nanfengProfile: PolicyProfile = {
  jurisdiction: 'nanfeng',
  version: PROFILE_VERSION,
  seed: '000',
  intakeCutoff: null,
  selfImplementationCeilingFen: null,
  stages,
  annualPlan: null,
  // 000 has no termination article.
  termination: null,
  acceptance: {
    // 000 sets neither a rectification period nor a forfeiture: a failed acceptance is rectified by the
    // date the deciding body sets and tried again.
    rectification: { defaultWorkingDays: 20, rule: SERVICE_TARGET },
    forfeiture: null,
  },
  // Until the acceptance report is filed the project counts as under construction: no O&M review, no O&M money (000 §15).
  archiveFiling: { workingDays: 5, rule: '000 §15', omFundingBlockedUntilFiled: { rule: '000 §15' } },
  postEvaluation: null,
  retention: null,
  omPeriod: { min: null, max: null },
  operations: {
    // The unit evaluates its project every year; the result is copied to the integrated command centre (000 §18).
    evaluation: { role: 'unit', rule: '000 §18', copyTo: 'reviewOffice' },
    // The centre's closure letter; finance and the village-economy office stop O&M funding (000 §22).
    closure: { role: 'reviewOffice', rule: '000 §22', stopsOmFunding: true },
    retirement: null,
  },
  developmentRestriction: null,
  omServiceContracts: null,
  procurementGate: null,
  acceptanceDeferral: null,
  cloud: null,
  defaultReviewWorkingDays: DEFAULT_REVIEW_WORKING_DAYS,
  catalogueScenarios: [
    { label: 'ordinary project', facts: { investmentFen: wan(100), planKind: 'annual', flags: {} } },
    { label: 'major project (重大项目)', facts: { investmentFen: wan(100), planKind: 'annual', flags: { major: true } } },
  ],
};
