import { useState } from 'preact/hooks';
import { documentKindSchema } from '../../../domain/records';
import { api, unwrap, type Answer } from '../api/client';
import { ProblemNotice } from '../components/problem-notice';
import { useNames, useText } from '../i18n';
import { beijingTime } from '../format';
import type { Me } from '../session';

export type ProjectDocument = Answer<'/projects/{projectId}/documents', 'get'>['items'][number];

const texts = {
  'zh-CN': {
    title: '文件', none: '还没有文件。', file: '选择文件（不超过 20 MB）', kind: '文件类型', docTitle: '文件标题', upload: '上传', uploading: '上传中…',
    name: '标题', type: '类型', size: '大小', by: '上传人', at: '时间', uploaded: '已上传', same: '同一文件已存在，保留首次记录',
  },
  en: {
    title: 'Documents', none: 'No documents yet.', file: 'File (at most 20 MB)', kind: 'Kind', docTitle: 'Title', upload: 'Upload', uploading: 'Uploading…',
    name: 'Title', type: 'Kind', size: 'Size', by: 'Uploaded by', at: 'At', uploaded: 'Uploaded', same: 'The same file is already here; the first record stands',
  },
};

const UPLOADING_ROLES = ['unit', 'reviewOffice', 'technicalReviewer', 'bigDataCentre', 'reform', 'county', 'expert', 'thirdPartyReviewer'];

/** The project's documents, kept by content with their SHA-256, and the upload (the file's bytes as the body). */
export function ProjectDocuments({ projectId, documents, error, me, onUploaded }: { projectId: string; documents: ProjectDocument[] | undefined; error: unknown; me: Me; onUploaded: () => void }) {
  const t = useText(texts);
  const names = useNames();
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState('proposal');
  const [title, setTitle] = useState('');
  const [uploadError, setUploadError] = useState<unknown>();
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  async function upload(event: Event) {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setUploadError(undefined);
    try {
      const answer = api.POST('/projects/{projectId}/documents', {
        params: { path: { projectId }, query: { kind: kind as ProjectDocument['kind'] as 'proposal', title: title || file.name } },
        // The route takes the raw bytes (application/octet-stream), not JSON.
        body: file as unknown as string,
        bodySerializer: (body: unknown) => body as Blob,
        headers: { 'Content-Type': 'application/octet-stream' },
      });
      await unwrap(answer);
      setMessage((await answer).response.status === 200 ? t.same : t.uploaded);
      setFile(null);
      setTitle('');
      onUploaded();
    } catch (refused) {
      setUploadError(refused);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" aria-labelledby="documents-title">
      <h2 id="documents-title">{t.title}</h2>
      <ProblemNotice error={error} />
      {documents && documents.length === 0 && <p>{t.none}</p>}
      {documents && documents.length > 0 && (
        <table>
          <thead><tr><th scope="col">{t.name}</th><th scope="col">{t.type}</th><th scope="col" class="num">{t.size}</th><th scope="col">{t.by}</th><th scope="col">{t.at}</th><th scope="col">SHA-256</th></tr></thead>
          <tbody>
            {documents.map((doc) => (
              <tr key={doc.documentId}>
                <td>{doc.title}</td><td>{names.documentKind(doc.kind)}</td><td class="num">{(doc.sizeBytes / 1024).toFixed(1)} KiB</td><td>{doc.uploadedBy}</td><td>{beijingTime(doc.uploadedAt)}</td>
                <td><code title={doc.sha256}>{doc.sha256.slice(0, 12)}…</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {UPLOADING_ROLES.includes(me.role) && (
        <form onSubmit={upload}>
          <div class="row">
            <div>
              <label for="document-file">{t.file}</label>
              <input id="document-file" type="file" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
            </div>
            <div>
              <label for="document-kind">{t.kind}</label>
              <select id="document-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
                {documentKindSchema.options.map((option) => <option key={option} value={option}>{names.documentKind(option)}</option>)}
              </select>
            </div>
            <div>
              <label for="document-title">{t.docTitle}</label>
              <input id="document-title" value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
            </div>
          </div>
          <ProblemNotice error={uploadError} />
          {message && <p class="notice" role="status">{message}</p>}
          <button type="submit" disabled={busy || !file}>{busy ? t.uploading : t.upload}</button>
        </form>
      )}
    </section>
  );
}

/** Choose, by checkbox, which of the project's documents a decision or a submission hands in. */
export function DocumentChoice({ legend, documents, chosen, onChange }: { legend: string; documents: ProjectDocument[]; chosen: string[]; onChange: (ids: string[]) => void }) {
  if (documents.length === 0) return null;
  return (
    <fieldset>
      <legend>{legend}</legend>
      {documents.map((doc) => (
        <label class="inline" key={doc.documentId}>
          <input type="checkbox" checked={chosen.includes(doc.documentId)} onChange={(e) => onChange(e.currentTarget.checked ? [...chosen, doc.documentId] : chosen.filter((id) => id !== doc.documentId))} />
          {doc.title}
        </label>
      ))}
    </fieldset>
  );
}
