import type { ProjectStage } from './project';
import type { Role } from './records';

/** What users read (zh-CN) for stage and role ids, in notifications and the API. */
export const stageLabels: Record<ProjectStage, string> = {
  selfImplementation: '自行实施（合同备案）',
  preTechnicalReview: '前置技术审查',
  annualPlan: '年度计划',
  jointReview: '联合审查（一事一议）',
  supplementaryApproval: '增补计划审批',
  initialReview: '项目初审',
  upperReview: '市大数据管理局评审',
  reviewOpinion: '出具审核意见',
  feasibilityApproval: '可行性研究报告批复',
  designDocuments: '初步设计方案',
  schemeReview: '方案评审',
  approval: '项目审批',
  implementationStart: '启动实施',
  budgetReview: '预算评审',
  procurement: '采购与合同备案',
  implementation: '项目实施',
  preliminaryAcceptance: '初步验收',
  acceptanceApplication: '竣工验收申请',
  preAcceptance: '预验收',
  finalAcceptance: '竣工验收',
  archiveFiling: '档案备案',
  postEvaluation: '后评价',
  operations: '运行维护',
  filed: '已备案',
  excluded: '未列入计划',
  rejected: '未通过审查',
  terminated: '已终止',
  forfeited: '验收不合格（剩余款项不予支付）',
  closed: '已关闭',
  retired: '已停用',
};

export const roleLabels: Record<Role, string> = {
  unit: '建设单位',
  reviewOffice: '归口管理单位',
  technicalReviewer: '技术审查单位',
  expert: '评审专家',
  finance: '财政局',
  reform: '发展改革委',
  audit: '审计局',
  auditor: '审计人员',
  admin: '系统管理员',
};
