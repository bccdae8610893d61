import { api, ApiProblem, unwrap, type Answer } from '../api/client';
import { ProblemNotice } from '../components/problem-notice';
import { useLoad } from '../components/use-load';
import { useNames, useText } from '../i18n';
import { beijingTime, yuan } from '../format';
import type { Me } from '../session';
import type { ProjectView } from './pending-action';

export type Retention = Answer<'/contracts/{contractId}/retention', 'get'>;
export type Tranche = Retention['tranches'][number] & { contractId: string };

/** Roles the API lets read a contract's retention and a project's money blocks (the routes' role lists). */
const RETENTION_READERS = ['finance', 'reviewOffice', 'auditor', 'audit', 'unit'];
const BLOCK_READERS = ['finance', 'auditor', 'audit', 'reviewOffice', 'unit'];

/** The retention of each of the project's contracts (one per lot), for roles that may read it. */
export function useRetention(project: ProjectView | undefined, me: Me) {
  const contractIds = (project?.contracts ?? []).map((c) => c.contractId);
  return useLoad(async () => {
    if (!RETENTION_READERS.includes(me.role) || !project?.acceptedOn) return [];
    const retentions = await Promise.all(
      // A contract without retention yet (404) has none to show; any other failure is shown, not hidden.
      contractIds.map((contractId) =>
        unwrap(api.GET('/contracts/{contractId}/retention', { params: { path: { contractId } } })).catch((error: unknown) => {
          if (error instanceof ApiProblem && error.problem.status === 404) return null;
          throw error;
        }),
      ),
    );
    return retentions.filter((r): r is Retention => r !== null);
  }, [contractIds.join(','), project?.acceptedOn, me.role]);
}

const texts = {
  'zh-CN': {
    title: '资金', contract: '合同', sum: '合同金额', withheld: '质保金（扣留）', tranche: '笔次', amount: '金额', due: '到期日', status: '状态', voucher: '支付凭证', reason: '暂停原因',
    blocks: '资金冻结', since: '起', lifted: '已解除', none: '没有资金冻结。',
    omBlocked: '运维资金冻结中', withheldAll: '剩余款项不予支付', postponed: '暂缓实施', problem: '问题未整改，资金冻结',
  },
  en: {
    title: 'Money', contract: 'Contract', sum: 'Contract sum', withheld: 'Retention withheld', tranche: 'Tranche', amount: 'Amount', due: 'Due', status: 'Status', voucher: 'Voucher', reason: 'Blocked because',
    blocks: 'Money blocks', since: 'since', lifted: 'lifted', none: 'No money blocks.',
    omBlocked: 'O&M funding blocked', withheldAll: 'No remaining payment is made', postponed: 'Implementation postponed', problem: 'Problem not rectified: money blocked',
  },
};

/** The money of the project: retention per contract with its tranches, and the blocks on its money with their articles. */
export function ProjectMoney({ project, me, retentions, retentionError }: { project: ProjectView; me: Me; retentions: Retention[]; retentionError: unknown }) {
  const t = useText(texts);
  const names = useNames();
  const blocks = useLoad(
    () => (BLOCK_READERS.includes(me.role) ? unwrap(api.GET('/payments/blocks', { params: { query: { projectId: project.projectId, limit: 100, offset: 0 } } })).then((b) => b.items) : Promise.resolve([])),
    [project.projectId, project.stage, me.role],
  );
  const stateBlocks = [
    project.omFundingBlocked && t.omBlocked,
    project.paymentsWithheld && `${t.withheldAll}: ${project.paymentsWithheld.reason} (${project.paymentsWithheld.rule})`,
    project.postponement && `${t.postponed}: ${project.postponement.reasons.join('；')} (${project.postponement.rule})`,
    ...project.problems.filter((p) => p.blocksMoney).map((p) => `${t.problem}: ${p.reasons.join('；')}`),
  ].filter((text): text is string => Boolean(text));
  if (retentions.length === 0 && !retentionError && stateBlocks.length === 0 && (blocks.data ?? []).length === 0 && !blocks.error) return null;
  return (
    <section class="card" aria-labelledby="money-title">
      <h2 id="money-title">{t.title}</h2>
      <ProblemNotice error={retentionError} />
      {retentions.map((retention) => (
        <div key={retention.contractId}>
          <p>
            {t.contract} <strong>{retention.contractId}</strong> · {t.sum} {yuan(retention.sumFen)} · {t.withheld} {yuan(retention.withheldFen)} ({retention.rule})
          </p>
          <table>
            <thead><tr><th scope="col">{t.tranche}</th><th scope="col" class="num">{t.amount}</th><th scope="col">{t.due}</th><th scope="col">{t.status}</th><th scope="col">{t.reason}</th><th scope="col">{t.voucher}</th></tr></thead>
            <tbody>
              {retention.tranches.map((tranche) => (
                <tr key={tranche.trancheNo}>
                  <td>{tranche.trancheNo}</td><td class="num">{yuan(tranche.amountFen)}</td><td>{tranche.dueDate}</td>
                  <td><span class={`badge ${tranche.status}`}>{names.trancheStatus(tranche.status)}</span></td><td>{tranche.blockedReason}</td><td>{tranche.voucherRef}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      <h3>{t.blocks}</h3>
      <ProblemNotice error={blocks.error} />
      {stateBlocks.map((text) => <p key={text} class="problem">{text}</p>)}
      {(blocks.data ?? []).map((block) => (
        <p key={`${block.scope}-${block.since}`}>
          {names.blockScope(block.scope)}: {block.reason} ({block.rule}) · {t.since} {beijingTime(block.since)}
          {block.liftedAt && <> · {t.lifted} {beijingTime(block.liftedAt)}</>}
        </p>
      ))}
      {stateBlocks.length === 0 && (blocks.data ?? []).length === 0 && <p class="hint">{t.none}</p>}
    </section>
  );
}
