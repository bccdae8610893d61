import { z } from 'zod';
import type { RulesCatalogue } from '../domain/policy/catalogue';

export const rulesQuerySchema = z
  .object({
    jurisdiction: z.string().min(1).max(40).optional(),
    stage: z.string().min(1).max(40).optional(),
    /** An article, e.g. "001 §26" (its sub-items match too: §26(2), §26(4)). */
    article: z.string().min(1).max(40).optional(),
  })
  .strict();

/** The catalogue narrowed to a jurisdiction, a stage or an article. */
export function filterRules(catalogue: RulesCatalogue, query: z.infer<typeof rulesQuerySchema>): RulesCatalogue {
  const matchesArticle = (article: string) => query.article === undefined || article === query.article || article.startsWith(`${query.article}(`);
  return {
    profiles: catalogue.profiles.filter((p) => query.jurisdiction === undefined || p.jurisdiction === query.jurisdiction),
    rules: catalogue.rules.filter(
      (rule) =>
        (query.jurisdiction === undefined || rule.jurisdiction === query.jurisdiction) &&
        (query.stage === undefined || rule.stage === query.stage) &&
        matchesArticle(rule.article),
    ),
  };
}
