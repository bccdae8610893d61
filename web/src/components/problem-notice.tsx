import type { ApiProblem } from '../api/client';
import { useText } from '../i18n';

const texts = {
  'zh-CN': { article: '依据', field: '字段' },
  en: { article: 'Article', field: 'Field' },
};

/**
 * The API's refusal as it gave it: what was wrong, the article that decides, and the fields named —
 * announced to screen readers (role="alert") and shown next to the form that caused it.
 */
export function ProblemNotice({ error }: { error: unknown }) {
  const t = useText(texts);
  if (!error) return null;
  const problem = (error as ApiProblem).problem ?? { title: String((error as Error).message ?? error), status: 0 };
  return (
    <div class="problem" role="alert" data-testid="problem">
      <strong>{problem.title}</strong>
      {problem.detail && <p>{problem.detail}</p>}
      {problem.rule && (
        <p class="rule">
          {t.article}: <span data-testid="problem-rule">{problem.rule}</span>
        </p>
      )}
      {problem.errors && problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((e) => (
            <li key={e.pointer}>
              {t.field} <code>{e.pointer}</code>: {e.detail}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
