import { useNames, useText } from '../i18n';
import { beijingTime } from '../format';
import type { ProjectView } from './pending-action';
import { useEventLabel } from './project-timeline';

const texts = {
  'zh-CN': { title: '审计记录', at: '时间', stage: '环节', what: '事项', who: '经办人', role: '角色', reasons: '理由', rule: '依据', system: '系统' },
  en: { title: 'Audit trail', at: 'When', stage: 'Stage', what: 'What', who: 'Who', role: 'Role', reasons: 'Reasons', rule: 'Article', system: 'System' },
};

/** Who decided what, when, under which article: every entry of the project's timeline, as recorded. */
export function AuditTrail({ project }: { project: ProjectView }) {
  const t = useText(texts);
  const names = useNames();
  const eventLabel = useEventLabel();
  return (
    <section class="card" aria-labelledby="audit-title">
      <h2 id="audit-title">{t.title}</h2>
      <table data-testid="audit-trail">
        <thead><tr><th scope="col">{t.at}</th><th scope="col">{t.stage}</th><th scope="col">{t.what}</th><th scope="col">{t.who}</th><th scope="col">{t.role}</th><th scope="col">{t.reasons}</th><th scope="col">{t.rule}</th></tr></thead>
        <tbody>
          {project.timeline.map((item, index) => (
            <tr key={index}>
              <td>{beijingTime(item.at)}</td>
              <td>{names.stage(item.stage)}</td>
              <td data-kind={item.kind} data-decision={item.decision}>{eventLabel(item)}</td>
              <td>{item.actorId ?? t.system}</td>
              <td>{item.actorRole ? names.role(item.actorRole) : ''}</td>
              <td>{item.reasons?.join('；')}</td>
              <td class="rule">{item.rule}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
