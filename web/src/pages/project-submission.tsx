import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { ProblemNotice } from '../components/problem-notice';
import { useNames, useText } from '../i18n';
import { fenOf } from '../format';
import type { Pending, ProjectView } from './pending-action';
import { DocumentChoice, type ProjectDocument } from './project-documents';

const texts = {
  'zh-CN': {
    title: (what: string) => `提交：${what}`, note: '说明', documents: '随附文件（先在下方“文件”中上传）', submit: '提交', sending: '提交中…',
    contractId: '合同编号', contractor: '承建单位', sumYuan: '合同金额（元）', omYears: '运维年限', signedDate: '签订日期', designAgency: '设计单位', supervisor: '监理单位',
    notBefore: (date: string) => `试运行期满前不得申请验收：最早 ${date}`,
  },
  en: {
    title: (what: string) => `Hand in: ${what}`, note: 'Note', documents: 'Documents (upload them under Documents below first)', submit: 'Hand in', sending: 'Sending…',
    contractId: 'Contract id', contractor: 'Contractor', sumYuan: 'Contract sum (yuan)', omYears: 'O&M years', signedDate: 'Signed on', designAgency: 'Design agency', supervisor: 'Supervisor',
    notBefore: (date: string) => `Acceptance may not be applied for before the trial run ends: ${date} at the earliest`,
  },
};

/** The unit's submission for the stage it waits at (POST /projects/{id}/submissions); refusals show their article. */
export function SubmissionForm({ project, pending, documents, onSubmitted }: { project: ProjectView; pending: Pending; documents: ProjectDocument[]; onSubmitted: () => void }) {
  const t = useText(texts);
  const names = useNames();
  const action = pending.kind === 'revision' ? 'revision' : (pending.action ?? 'revision');
  const [fields, setFields] = useState({ note: '', contractId: '', contractor: '', sumYuan: '', omYears: '3', signedDate: '', designAgency: '', supervisor: '' });
  const [documentIds, setDocumentIds] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const input = (name: keyof typeof fields, label: string, type = 'text') => (
    <div>
      <label for={`submission-${name}`}>{label}</label>
      <input id={`submission-${name}`} type={type} value={fields[name]} onInput={(e) => setFields({ ...fields, [name]: e.currentTarget.value })} />
    </div>
  );

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await unwrap(
        api.POST('/projects/{projectId}/submissions', {
          params: { path: { projectId: project.projectId } },
          body: {
            action,
            ...(fields.note.trim() ? { note: fields.note } : {}),
            ...(documentIds.length ? { documentIds } : {}),
            ...(fields.designAgency.trim() ? { designAgency: fields.designAgency } : {}),
            ...(fields.supervisor.trim() ? { supervisor: fields.supervisor } : {}),
            ...(action === 'contract'
              ? { contract: { contractId: fields.contractId, contractor: fields.contractor, sumFen: fenOf(fields.sumYuan), omYears: Number(fields.omYears), signedDate: fields.signedDate } }
              : {}),
          },
        }),
      );
      setDone(true);
      onSubmitted();
    } catch (refused) {
      setError(refused);
    } finally {
      setBusy(false);
    }
  }

  // Sent: the project page confirms it and re-reads the project; this action's form is over.
  if (done) return null;
  return (
    <form class="card" onSubmit={submit} aria-labelledby="submission-title" data-testid="submission-form">
      <h2 id="submission-title">{t.title(`${names.stage(pending.stage)}（${names.submissionAction(action)}）`)}</h2>
      {pending.notBeforeDate && <p class="hint">{t.notBefore(pending.notBeforeDate)}</p>}
      {action === 'contract' && (
        <div class="row">
          {input('contractId', t.contractId)}
          {input('contractor', t.contractor)}
          {input('sumYuan', t.sumYuan)}
          {input('omYears', t.omYears, 'number')}
          {input('signedDate', t.signedDate, 'date')}
        </div>
      )}
      {action === 'preliminaryDesign' && input('designAgency', t.designAgency)}
      {action === 'startImplementation' && input('supervisor', t.supervisor)}
      <label for="submission-note">{t.note}</label>
      <textarea id="submission-note" value={fields.note} onInput={(e) => setFields({ ...fields, note: e.currentTarget.value })} />
      <DocumentChoice legend={t.documents} documents={documents} chosen={documentIds} onChange={setDocumentIds} />
      <ProblemNotice error={error} />
      <button type="submit" disabled={busy}>{busy ? t.sending : t.submit}</button>
    </form>
  );
}
