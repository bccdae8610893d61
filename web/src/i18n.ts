import { useEffect, useState } from 'preact/hooks';
import { roleLabels, stageLabels } from '../../domain/labels';
import type { ProjectStage } from '../../domain/project';
import type { Role } from '../../domain/records';
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
  };
}
