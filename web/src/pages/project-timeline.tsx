import { profileByVersion } from '../../../domain/policy';
import type { ReviewStage } from '../../../domain/policy/profile';
import { Fragment } from 'preact';
import { useNames, useText } from '../i18n';
import { beijingTime, yuan } from '../format';
import type { ProjectView } from './pending-action';
import type { Tranche } from './project-money';

const texts = {
  'zh-CN': {
    title: '项目时间线', lane: '阶段', events: '全部事件', entered: '进入', decision: { approve: '通过', reject: '不予通过', requestRevision: '退回修改' } as Record<string, string>, submission: '提交',
    reminder: '到期提醒', escalation: '超期督办', breach: '超期', trialRunComplete: '试运行期满', note: '记录',
    paused: (from: string, to: string, rule: string) => `评审时限暂停：${from} 起 — ${to} 重新提交（${rule}）`, pausedOpen: (from: string, rule: string) => `评审时限暂停：${from} 起，等待重新提交（${rule}）`,
    restarts: (from: string, to: string | null, rule: string) => `${from} 退回修改；${to ? `${to} 重新提交后评审时限重新计算` : '重新提交后评审时限重新计算'}（${rule}）`,
    now: '当前', due: '截止', notBefore: (date: string) => `试运行：最早 ${date} 可申请验收`, accepted: (date: string) => `验收通过 ${date}`,
    tranche: (n: number, amount: string, date: string) => `质保金第 ${n} 笔 ${amount}，${date} 到期`,
    moneyBlocked: '资金冻结', trancheShort: (n: number, amount: string) => `质保金第 ${n} 笔 ${amount}`,
  },
  en: {
    title: 'Timeline', lane: 'Stages', events: 'Every event', entered: 'Entered', decision: { approve: 'Approved', reject: 'Rejected', requestRevision: 'Revision requested' } as Record<string, string>, submission: 'Handed in',
    reminder: 'Reminder', escalation: 'Escalated', breach: 'Deadline breached', trialRunComplete: 'Trial run complete', note: 'Note',
    paused: (from: string, to: string, rule: string) => `Review clock paused from ${from} until handed in again ${to} (${rule})`, pausedOpen: (from: string, rule: string) => `Review clock paused since ${from}, until handed in again (${rule})`,
    restarts: (from: string, to: string | null, rule: string) => `Revision requested ${from}; the review clock starts again${to ? ` from the new hand-in ${to}` : ' when it is handed in again'} (${rule})`,
    now: 'Now', due: 'due', notBefore: (date: string) => `Trial run: acceptance may be applied for from ${date}`, accepted: (date: string) => `Accepted ${date}`,
    tranche: (n: number, amount: string, date: string) => `Retention tranche ${n}, ${amount}, due ${date}`,
    moneyBlocked: 'Money blocked', trancheShort: (n: number, amount: string) => `Retention ${n}: ${amount}`,
  },
};

type Item = ProjectView['timeline'][number];

/**
 * The project's life drawn from its state: stages entered, decisions, the review clock's paused spans
 * (a revision request until the revision is handed in), where it is now with its deadline or earliest
 * date (the trial run), acceptance, and the retention tranches ahead. The same for every jurisdiction:
 * the stages and articles are the profile's, as the state carries them.
 */
export function ProjectTimeline({ project, tranches }: { project: ProjectView; tranches: Tranche[] }) {
  const t = useText(texts);
  const names = useNames();
  const rows: preact.JSX.Element[] = [];
  const items = project.timeline;
  // The project's own profile version says what each review's clock does while the unit revises or rectifies.
  const reviewStages = profileByVersion(project.profileVersion)
    .stages({ investmentFen: project.investmentFen, planKind: project.planKind, flags: project.flags })
    .filter((stage): stage is ReviewStage => stage.kind === 'review');
  items.forEach((item, index) => {
    const label = describe(item, t);
    rows.push(
      <li key={`e${index}`} data-kind={item.kind}>
        <span class="when">{beijingTime(item.at)}</span>
        {label} · {names.stage(item.stage)}
        {item.rule && <span class="hint"> ({item.rule})</span>}
      </li>,
    );
    const effect = item.kind === 'decision' ? clockEffect(reviewStages, item) : null;
    if (effect) {
      const from = beijingTime(item.at);
      const resumed = items.slice(index + 1).find((later) => later.kind === 'submission');
      const to = resumed ? beijingTime(resumed.at) : null;
      rows.push(
        <li key={`p${index}`} class="paused" data-testid="clock-span" data-effect={effect.kind}>
          {effect.kind === 'restart' ? t.restarts(from, to, effect.rule) : to ? t.paused(from, to, effect.rule) : t.pausedOpen(from, effect.rule)}
        </li>,
      );
    }
  });
  const pending = project.pending;
  if (pending) {
    rows.push(
      <li key="now" class="current" aria-current="step">
        <strong>{t.now}</strong> · {names.stage(pending.stage)} · {names.role(pending.role)}
        {pending.dueDate && <> · {t.due} {pending.dueDate}</>}
        {pending.notBeforeDate && <div data-testid="trial-run">{t.notBefore(pending.notBeforeDate)}</div>}
      </li>,
    );
  }
  if (project.acceptedOn) rows.push(<li key="accepted">{t.accepted(project.acceptedOn)}</li>);
  if (project.paymentsWithheld) rows.push(<li key="withheld" class="paused">{t.moneyBlocked}: {project.paymentsWithheld.reason} ({project.paymentsWithheld.rule})</li>);
  for (const tranche of tranches) {
    rows.push(
      <li key={`${tranche.contractId}-${tranche.trancheNo}`} class={tranche.status === 'released' ? '' : 'ahead'}>
        {t.tranche(tranche.trancheNo, yuan(tranche.amountFen), tranche.dueDate)}
        <span class={`badge ${tranche.status}`}>{names.trancheStatus(tranche.status)}</span>
        {tranche.blockedReason && <span class="hint"> {tranche.blockedReason}</span>}
      </li>,
    );
  }
  // The lane: each stage once, in the order entered, the current one marked; then acceptance and the money ahead.
  const stages = items.filter((item) => item.kind === 'entered').filter((item, index, entered) => index === 0 || entered[index - 1]!.stage !== item.stage);
  const current = project.status === 'active' ? project.stage : null;
  // Acceptance sits right after the profile's final acceptance review, not at the end of the lane.
  const finalAcceptance = reviewStages.find((stage) => stage.finalAcceptance)?.id;
  const acceptedAfter = project.acceptedOn ? stages.findLastIndex((item) => item.stage === finalAcceptance) : null;
  return (
    <section class="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t.title}</h2>
      <ol class="lane" aria-label={t.lane} data-testid="stage-lane">
        {stages.map((item, index) => (
          <Fragment key={`${item.stage}-${index}`}>
            <li class={item.stage === current && index === stages.length - 1 ? 'current' : 'done'} aria-current={item.stage === current && index === stages.length - 1 ? 'step' : undefined}>
              <span class="lane-stage">{names.stage(item.stage)}</span>
              <span class="lane-date">{dayOf(item.at)}</span>
            </li>
            {index === acceptedAfter && <li class="done"><span class="lane-stage">{t.accepted(project.acceptedOn!)}</span></li>}
          </Fragment>
        ))}
        {tranches.map((tranche) => (
          <li key={`lane-${tranche.contractId}-${tranche.trancheNo}`} class={tranche.status === 'released' ? 'done' : 'ahead'}>
            <span class="lane-stage">{t.trancheShort(tranche.trancheNo, yuan(tranche.amountFen))}</span>
            <span class="lane-date">{tranche.dueDate} · {names.trancheStatus(tranche.status)}</span>
          </li>
        ))}
      </ol>
      <details open={items.length <= 12}>
        <summary>{t.events} ({items.length})</summary>
        <ol class="timeline" data-testid="timeline">{rows}</ol>
      </details>
    </section>
  );
}

/** An instant's business date in Beijing, as YYYY-MM-DD. */
const dayOf = (instant: string): string => beijingTime(instant).slice(0, 10).replaceAll('/', '-');

/**
 * What a decision does to its review's clock, as the profile defines it: a revision request pauses it
 * (001 §14) or restarts it on the new hand-in (000 §8(3)); a rejection sent back for rectification pauses
 * it where the profile says so (001 §26(2)). Null where the decision leaves no clock waiting.
 */
function clockEffect(reviewStages: ReviewStage[], item: Item): { kind: 'pause' | 'restart'; rule: string } | null {
  const stage = reviewStages.find((candidate) => candidate.id === item.stage);
  if (!stage?.clock) return null;
  if (item.decision === 'requestRevision') return { kind: stage.clock.onRevision, rule: stage.clock.onRevisionRule ?? stage.clock.rule };
  if (item.decision === 'reject' && stage.onReject === 'rectify' && stage.clockPausesForRectification) return { kind: 'pause', rule: stage.clockPausesForRectification.rule };
  return null;
}

/** What a timeline entry was, in the chosen language (the audit trail uses the same words). */
export function useEventLabel(): (item: Item) => string {
  const t = useText(texts);
  return (item) => describe(item, t);
}

function describe(item: Item, t: (typeof texts)['en']): string {
  switch (item.kind) {
    case 'decision':
      return t.decision[item.decision ?? ''] ?? item.kind;
    case 'entered':
    case 'submission':
    case 'reminder':
    case 'escalation':
    case 'breach':
    case 'trialRunComplete':
    case 'note':
      return t[item.kind];
    default:
      return item.kind;
  }
}
