import { useEffect, useState } from 'preact/hooks';
import { roleLabels, stageLabels } from '../../domain/labels';
import type { ProjectStage } from '../../domain/project';
import type { DocumentKind, Role } from '../../domain/records';
import type { SubmissionActionName } from '../../domain/lifecycle';
import type { ProjectFlags } from '../../domain/policy/profile';

/** zh-CN is the console's language; English is one click away (kept per browser). */
export type Language = 'zh-CN' | 'en';
const LANGUAGE_KEY = 'zhengwu.language';
const listeners = new Set<() => void>();

export function currentLanguage(): Language {
  return localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'zh-CN';
}

export function setLanguage(language: Language): void {
  localStorage.setItem(LANGUAGE_KEY, language);
  document.documentElement.lang = language;
  listeners.forEach((listener) => listener());
}

export function useLanguage(): Language {
  const [language, set] = useState(currentLanguage());
  useEffect(() => {
    const update = () => set(currentLanguage());
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return language;
}

/** A page's texts in both languages; `en` must have every key `zh-CN` has (the type checks it). */
export type Texts<T> = { 'zh-CN': T; en: NoInfer<T> };

/** The page's texts in the chosen language. */
export function useText<T>(texts: Texts<T>): T {
  return texts[useLanguage()];
}

/** "leadingGroupDecision" → "Leading group decision": the English names of stages are their glossary ids. */
const spaced = (id: string) => id.replace(/([A-Z])/g, ' $1').toLowerCase().replace(/^./, (c) => c.toUpperCase());

const roleNamesEn: Record<Role, string> = {
  unit: 'Construction unit',
  reviewOffice: 'Review office',
  technicalReviewer: 'Technical reviewer',
  expert: 'Expert',
  finance: 'Finance bureau',
  reform: 'Development and reform commission',
  bigDataCentre: 'Big data centre',
  cloudProvider: 'Cloud provider',
  county: 'County government',
  thirdPartyReviewer: 'Third-party reviewer',
  audit: 'Audit bureau',
  auditor: 'Auditor',
  admin: 'Administrator',
};

export function stageName(stage: string, language: Language): string {
  return language === 'zh-CN' ? (stageLabels[stage as ProjectStage] ?? stage) : spaced(stage);
}

export function roleName(role: string, language: Language): string {
  return language === 'zh-CN' ? (roleLabels[role as Role] ?? role) : (roleNamesEn[role as Role] ?? role);
}

const jurisdictionNames: Record<string, Record<Language, string>> = {
  yiyang: { 'zh-CN': '益阳市', en: 'Yiyang' },
  nanfeng: { 'zh-CN': '南丰镇', en: 'Nanfeng' },
  jian: { 'zh-CN': '吉安市', en: "Ji'an" },
  bijie: { 'zh-CN': '毕节市', en: 'Bijie' },
  suqian: { 'zh-CN': '宿迁市', en: 'Suqian' },
};

export function jurisdictionName(jurisdiction: string, language: Language): string {
  return jurisdictionNames[jurisdiction]?.[language] ?? jurisdiction;
}

const trancheStatusNames: Record<string, Record<Language, string>> = {
  scheduled: { 'zh-CN': '未到期', en: 'Scheduled' },
  due: { 'zh-CN': '可支付', en: 'Payable' },
  blocked: { 'zh-CN': '暂停支付', en: 'Blocked' },
  released: { 'zh-CN': '已支付', en: 'Released' },
  forfeited: { 'zh-CN': '不予支付', en: 'Forfeited' },
};

const blockScopeNames: Record<string, Record<Language, string>> = {
  omFunding: { 'zh-CN': '运维资金', en: 'O&M funding' },
  allPayments: { 'zh-CN': '全部剩余款项', en: 'Every remaining payment' },
  projectFunds: { 'zh-CN': '项目后续资金', en: 'Further project funds' },
};

/** The characteristics a proposal declares (domain/project.ts projectFlagsSchema). */
const flagNames: Record<keyof ProjectFlags, Record<Language, string>> = {
  mlpsRequired: { 'zh-CN': '需等级保护测评', en: 'Needs MLPS assessment' },
  cryptoAssessmentRequired: { 'zh-CN': '需密码应用安全性评估', en: 'Needs cryptography assessment' },
  softwareTestingRequired: { 'zh-CN': '需软件测试', en: 'Needs software testing' },
  classifiedSystemTestingRequired: { 'zh-CN': '需涉密系统测评', en: 'Needs classified-system testing' },
  major: { 'zh-CN': '重大项目', en: 'Major project' },
  upperOrSelfFunds: { 'zh-CN': '上级或自筹资金', en: 'Upper-level or self-raised funds' },
  stateOrProvincialFunding: { 'zh-CN': '中央或省级资金', en: 'State or provincial funds' },
  cityMatchingFunds: { 'zh-CN': '市级配套资金', en: 'City matching funds' },
  thirdPartySystems: { 'zh-CN': '涉及第三方系统', en: 'Third-party systems' },
  stockSystem: { 'zh-CN': '存量系统', en: 'Stock system' },
  keyProject: { 'zh-CN': '重点信息化项目', en: 'Key project' },
  county: { 'zh-CN': '县（市、区）项目', en: 'County project' },
};

/** What each kind of document is (domain/records.ts documentKindSchema). */
const documentKindNames: Record<DocumentKind, Record<Language, string>> = {
  proposal: { 'zh-CN': '项目申报材料', en: 'Proposal' },
  feasibilityStudy: { 'zh-CN': '可行性研究报告', en: 'Feasibility study' },
  preliminaryDesign: { 'zh-CN': '初步设计方案', en: 'Preliminary design' },
  reviewOpinion: { 'zh-CN': '评审意见', en: 'Review opinion' },
  contract: { 'zh-CN': '合同', en: 'Contract' },
  tenderDocuments: { 'zh-CN': '招标文件', en: 'Tender documents' },
  acceptanceReport: { 'zh-CN': '验收报告', en: 'Acceptance report' },
  testReport: { 'zh-CN': '测试报告', en: 'Test report' },
  archive: { 'zh-CN': '归档材料', en: 'Archive' },
  resourceCatalogue: { 'zh-CN': '政务信息资源目录', en: 'Information-resource catalogue' },
  technicalScheme: { 'zh-CN': '技术性方案', en: 'Technical scheme' },
  constructionSummary: { 'zh-CN': '项目建设总结', en: 'Construction summary' },
  financialReport: { 'zh-CN': '财务报告', en: 'Financial report' },
  auditReport: { 'zh-CN': '审计报告', en: 'Audit report' },
  sharingAssessment: { 'zh-CN': '数据共享评估', en: 'Data-sharing assessment' },
  securityRiskAssessment: { 'zh-CN': '安全风险评估', en: 'Security risk assessment' },
  cryptographyAssessment: { 'zh-CN': '密码应用评估', en: 'Cryptography assessment' },
  cloudApplication: { 'zh-CN': '政务云资源申请', en: 'Cloud application' },
  responsibilityLetter: { 'zh-CN': '责任书', en: 'Responsibility letter' },
  servicePlan: { 'zh-CN': '项目服务方案', en: 'Service plan' },
  reviewReport: { 'zh-CN': '评审报告', en: 'Review report' },
  securityTest: { 'zh-CN': '安全测试报告', en: 'Security test report' },
  riskAssessment: { 'zh-CN': '风险评估报告', en: 'Risk assessment' },
  comprehensiveEvaluation: { 'zh-CN': '综合评价', en: 'Comprehensive evaluation' },
  omServiceReport: { 'zh-CN': '运维服务报告', en: 'O&M service report' },
  performanceEvaluation: { 'zh-CN': '绩效评价', en: 'Performance evaluation' },
  assetRegister: { 'zh-CN': '资产登记', en: 'Asset register' },
  other: { 'zh-CN': '其他', en: 'Other' },
};

/** What a unit hands in (domain/lifecycle.ts submissionActionSchema). */
const submissionActionNames: Record<SubmissionActionName, Record<Language, string>> = {
  revision: { 'zh-CN': '修改后重新提交', en: 'Revision' },
  preliminaryDesign: { 'zh-CN': '初步设计方案', en: 'Preliminary design' },
  feasibilityStudy: { 'zh-CN': '可行性研究报告', en: 'Feasibility study' },
  technicalScheme: { 'zh-CN': '技术性方案', en: 'Technical scheme' },
  demandScheme: { 'zh-CN': '需求方案', en: 'Demand scheme' },
  servicePlan: { 'zh-CN': '项目服务方案', en: 'Service plan' },
  startImplementation: { 'zh-CN': '启动实施', en: 'Start of implementation' },
  contract: { 'zh-CN': '合同备案', en: 'Contract filing' },
  goLive: { 'zh-CN': '上线试运行', en: 'Go-live' },
  dataSharingApplication: { 'zh-CN': '数据共享申请', en: 'Data-sharing application' },
  preliminaryAcceptance: { 'zh-CN': '初步验收', en: 'Preliminary acceptance' },
  acceptanceApplication: { 'zh-CN': '竣工验收申请', en: 'Acceptance application' },
  archiveFiling: { 'zh-CN': '档案备案', en: 'Archive filing' },
  assetRegistration: { 'zh-CN': '资产登记', en: 'Asset registration' },
};

/** Hooks for the shared vocabularies in the chosen language. */
export function useNames() {
  const language = useLanguage();
  return {
    language,
    stage: (stage: string) => stageName(stage, language),
    role: (role: string) => roleName(role, language),
    jurisdiction: (jurisdiction: string) => jurisdictionName(jurisdiction, language),
    trancheStatus: (status: string) => trancheStatusNames[status]?.[language] ?? status,
    blockScope: (scope: string) => blockScopeNames[scope]?.[language] ?? scope,
    flag: (flag: string) => flagNames[flag as keyof ProjectFlags]?.[language] ?? flag,
    documentKind: (kind: string) => documentKindNames[kind as DocumentKind]?.[language] ?? kind,
    submissionAction: (action: string) => submissionActionNames[action as SubmissionActionName]?.[language] ?? action,
  };
}
