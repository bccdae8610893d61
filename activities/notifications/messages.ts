import { z } from 'zod';
import { yuanAmount } from '../../domain/project';

/**
 * What a notification says, in zh-CN (what users read) and English. Each kind names who must act and
 * by when; the workflow supplies the facts, the template the wording.
 */
export const localeSchema = z.enum(['zh-CN', 'en']);
export type Locale = z.infer<typeof localeSchema>;

export const messageKindSchema = z.enum([
  'actionRequired',
  'reviewReminder',
  'reviewOverdue',
  'trialRunComplete',
  'decisionRecorded',
  'trancheDue',
  'trancheBlocked',
  /** A filing or copy the office receives: a contract (001 §8, §25), an evaluation (000 §18), a retirement (001 §36). */
  'filingReceived',
  /** Money finance must not pay, and why (000 §15, §22; 001 §28). */
  'paymentsBlocked',
  'paymentsUnblocked',
  // The government cloud (004 cloud measures): params.projectId is the resource id, projectName the system's name.
  /** A step of a cloud resource awaits this role, by a due date or from an earliest date. */
  'cloudActionRequired',
  /** A cloud period's due date has come. */
  'cloudReminder',
  /** A cloud period has passed without the step: recorded as a breach and escalated. */
  'cloudOverdue',
  /** A step of a cloud resource was taken or decided. */
  'cloudRecorded',
]);
export type MessageKind = z.infer<typeof messageKindSchema>;

export const messageParamsSchema = z.object({
  projectId: z.string(),
  projectName: z.string(),
  stage: z.string(),
  /** Who must act (a role or person), as users name them. */
  actor: z.string().optional(),
  dueDate: z.string().optional(),
  provisional: z.boolean().optional(),
  decision: z.string().optional(),
  reasons: z.array(z.string()).optional(),
  rule: z.string().optional(),
  amountFen: z.number().int().optional(),
});
export type MessageParams = z.infer<typeof messageParamsSchema>;

export interface RenderedMessage {
  subject: string;
  /** Markdown, which the robots render and e-mail shows as text. */
  body: string;
}


type Template = (p: MessageParams) => RenderedMessage;

const templates: Record<Locale, Record<MessageKind, Template>> = {
  'zh-CN': {
    actionRequired: (p) => ({
      subject: `【待办】${p.projectName}：${p.stage}`,
      body: `项目 **${p.projectName}**（${p.projectId}）进入「${p.stage}」阶段，请${p.actor ?? '相关单位'}办理${due('zh-CN', p)}。${rule('zh-CN', p)}`,
    }),
    reviewReminder: (p) => ({
      subject: `【提醒】${p.projectName}：${p.stage}即将到期`,
      body: `项目 **${p.projectName}**（${p.projectId}）的「${p.stage}」${due('zh-CN', p)}，请${p.actor ?? '审查人员'}按时办理。${rule('zh-CN', p)}`,
    }),
    reviewOverdue: (p) => ({
      subject: `【督办】${p.projectName}：${p.stage}已超期`,
      body: `项目 **${p.projectName}**（${p.projectId}）的「${p.stage}」已超过期限（${p.dueDate ?? '—'}），已记录为超期。请${p.actor ?? '审查人员'}尽快办理。${rule('zh-CN', p)}`,
    }),
    trialRunComplete: (p) => ({
      subject: `【待办】${p.projectName}：试运行期满`,
      body: `项目 **${p.projectName}**（${p.projectId}）试运行已满规定期限，自 ${p.dueDate ?? '—'} 起可申请竣工验收，请${p.actor ?? '项目建设单位'}及时办理。${rule('zh-CN', p)}`,
    }),
    decisionRecorded: (p) => ({
      subject: `【结果】${p.projectName}：${p.stage}`,
      body: `项目 **${p.projectName}**（${p.projectId}）「${p.stage}」结论：${p.decision ?? '—'}。${reasons('zh-CN', p)}${rule('zh-CN', p)}`,
    }),
    trancheDue: (p) => ({
      subject: `【付款】${p.projectName}：建设尾款到期`,
      body: `项目 **${p.projectName}**（${p.projectId}）建设尾款 ¥${yuanAmount(p.amountFen ?? 0)} ${due('zh-CN', p)}，条件已满足，可予支付。${rule('zh-CN', p)}`,
    }),
    trancheBlocked: (p) => ({
      subject: `【暂缓】${p.projectName}：建设尾款暂缓支付`,
      body: `项目 **${p.projectName}**（${p.projectId}）建设尾款 ¥${yuanAmount(p.amountFen ?? 0)} 暂缓支付。${reasons('zh-CN', p)}${rule('zh-CN', p)}`,
    }),
    filingReceived: (p) => ({
      subject: `【备案】${p.projectName}：${p.stage}`,
      body: `项目 **${p.projectName}**（${p.projectId}）「${p.stage}」报送备案：${p.decision ?? '—'}。${reasons('zh-CN', p)}${rule('zh-CN', p)}`,
    }),
    paymentsBlocked: (p) => ({
      subject: `【停拨】${p.projectName}：${p.decision ?? '资金'}不予拨付`,
      body: `项目 **${p.projectName}**（${p.projectId}）${p.decision ?? '相关资金'}不予拨付。${reasons('zh-CN', p)}${rule('zh-CN', p)}`,
    }),
    paymentsUnblocked: (p) => ({
      subject: `【恢复】${p.projectName}：${p.decision ?? '资金'}可予拨付`,
      body: `项目 **${p.projectName}**（${p.projectId}）${p.decision ?? '相关资金'}的拦截已解除。${reasons('zh-CN', p)}${rule('zh-CN', p)}`,
    }),
    cloudActionRequired: (p) => ({
      subject: `【待办】政务云 ${p.projectName}：${p.stage}`,
      body: `政务云资源 **${p.projectName}**（${p.projectId}）「${p.stage}」，请${p.actor ?? '相关单位'}办理${p.decision ? `：${p.decision}` : ''}${due('zh-CN', p)}。${reasons('zh-CN', p)}${rule('zh-CN', p)}`,
    }),
    cloudReminder: (p) => ({
      subject: `【提醒】政务云 ${p.projectName}：${p.stage}即将到期`,
      body: `政务云资源 **${p.projectName}**（${p.projectId}）的「${p.stage}」${due('zh-CN', p)}，请${p.actor ?? '相关单位'}按时办理。${rule('zh-CN', p)}`,
    }),
    cloudOverdue: (p) => ({
      subject: `【督办】政务云 ${p.projectName}：${p.stage}已超期`,
      body: `政务云资源 **${p.projectName}**（${p.projectId}）的「${p.stage}」已超过期限（${p.dueDate ?? '—'}），已记录为超期并督办。请${p.actor ?? '相关单位'}尽快办理。${reasons('zh-CN', p)}${rule('zh-CN', p)}`,
    }),
    cloudRecorded: (p) => ({
      subject: `【结果】政务云 ${p.projectName}：${p.stage}`,
      body: `政务云资源 **${p.projectName}**（${p.projectId}）「${p.stage}」：${p.decision ?? '—'}。${reasons('zh-CN', p)}${rule('zh-CN', p)}`,
    }),
  },
  en: {
    actionRequired: (p) => ({
      subject: `[Action] ${p.projectName}: ${p.stage}`,
      body: `Project **${p.projectName}** (${p.projectId}) entered "${p.stage}"; ${p.actor ?? 'the responsible party'} must act${due('en', p)}.${rule('en', p)}`,
    }),
    reviewReminder: (p) => ({
      subject: `[Reminder] ${p.projectName}: ${p.stage} due soon`,
      body: `"${p.stage}" of project **${p.projectName}** (${p.projectId}) is due${due('en', p)}; ${p.actor ?? 'reviewers'} please act in time.${rule('en', p)}`,
    }),
    reviewOverdue: (p) => ({
      subject: `[Overdue] ${p.projectName}: ${p.stage}`,
      body: `"${p.stage}" of project **${p.projectName}** (${p.projectId}) passed its deadline (${p.dueDate ?? '—'}) and is recorded as a breach. ${p.actor ?? 'Reviewers'} please act now.${rule('en', p)}`,
    }),
    trialRunComplete: (p) => ({
      subject: `[Action] ${p.projectName}: trial run complete`,
      body: `The trial run of project **${p.projectName}** (${p.projectId}) has lasted its required minimum; ${p.actor ?? 'the project unit'} may apply for acceptance from ${p.dueDate ?? '—'}.${rule('en', p)}`,
    }),
    decisionRecorded: (p) => ({
      subject: `[Decision] ${p.projectName}: ${p.stage}`,
      body: `"${p.stage}" of project **${p.projectName}** (${p.projectId}): ${p.decision ?? '—'}.${reasons('en', p)}${rule('en', p)}`,
    }),
    trancheDue: (p) => ({
      subject: `[Payment] ${p.projectName}: retention due`,
      body: `Retention of ¥${yuanAmount(p.amountFen ?? 0)} for project **${p.projectName}** (${p.projectId}) is payable${due('en', p)}; its condition is met.${rule('en', p)}`,
    }),
    trancheBlocked: (p) => ({
      subject: `[Withheld] ${p.projectName}: retention blocked`,
      body: `Retention of ¥${yuanAmount(p.amountFen ?? 0)} for project **${p.projectName}** (${p.projectId}) is blocked.${reasons('en', p)}${rule('en', p)}`,
    }),
    filingReceived: (p) => ({
      subject: `[Filed] ${p.projectName}: ${p.stage}`,
      body: `"${p.stage}" of project **${p.projectName}** (${p.projectId}) was filed with you: ${p.decision ?? '—'}.${reasons('en', p)}${rule('en', p)}`,
    }),
    paymentsBlocked: (p) => ({
      subject: `[Blocked] ${p.projectName}: ${p.decision ?? 'payments'} not to be paid`,
      body: `Project **${p.projectName}** (${p.projectId}): ${p.decision ?? 'payments'} must not be paid.${reasons('en', p)}${rule('en', p)}`,
    }),
    paymentsUnblocked: (p) => ({
      subject: `[Unblocked] ${p.projectName}: ${p.decision ?? 'payments'} may be paid`,
      body: `Project **${p.projectName}** (${p.projectId}): the block on ${p.decision ?? 'payments'} is lifted.${reasons('en', p)}${rule('en', p)}`,
    }),
    cloudActionRequired: (p) => ({
      subject: `[Action] Cloud ${p.projectName}: ${p.stage}`,
      body: `Government-cloud resource **${p.projectName}** (${p.projectId}), "${p.stage}": ${p.actor ?? 'the responsible party'} must act${p.decision ? ` (${p.decision})` : ''}${due('en', p)}.${reasons('en', p)}${rule('en', p)}`,
    }),
    cloudReminder: (p) => ({
      subject: `[Reminder] Cloud ${p.projectName}: ${p.stage} due soon`,
      body: `"${p.stage}" of government-cloud resource **${p.projectName}** (${p.projectId}) is due${due('en', p)}; ${p.actor ?? 'the responsible party'} please act in time.${rule('en', p)}`,
    }),
    cloudOverdue: (p) => ({
      subject: `[Overdue] Cloud ${p.projectName}: ${p.stage}`,
      body: `"${p.stage}" of government-cloud resource **${p.projectName}** (${p.projectId}) passed its deadline (${p.dueDate ?? '—'}); recorded as a breach and escalated. ${p.actor ?? 'The responsible party'} please act now.${reasons('en', p)}${rule('en', p)}`,
    }),
    cloudRecorded: (p) => ({
      subject: `[Recorded] Cloud ${p.projectName}: ${p.stage}`,
      body: `Government-cloud resource **${p.projectName}** (${p.projectId}), "${p.stage}": ${p.decision ?? '—'}.${reasons('en', p)}${rule('en', p)}`,
    }),
  },
};

function due(locale: Locale, p: MessageParams): string {
  if (!p.dueDate) return '';
  const mark = p.provisional ? (locale === 'zh-CN' ? '（暂定，待节假日安排公布后重算）' : ' (provisional until the holiday schedule is published)') : '';
  return locale === 'zh-CN' ? `，办理期限 ${p.dueDate}${mark}` : ` by ${p.dueDate}${mark}`;
}

function reasons(locale: Locale, p: MessageParams): string {
  if (!p.reasons?.length) return '';
  return locale === 'zh-CN' ? `理由：${p.reasons.join('；')}。` : ` Reasons: ${p.reasons.join('; ')}.`;
}

function rule(locale: Locale, p: MessageParams): string {
  if (!p.rule) return '';
  return locale === 'zh-CN' ? `（依据：${p.rule}）` : ` (Rule: ${p.rule})`;
}

export function renderMessage(kind: MessageKind, locale: Locale, params: MessageParams): RenderedMessage {
  return templates[locale][kind](params);
}
