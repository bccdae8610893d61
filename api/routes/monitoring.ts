import { z } from 'zod';
import type { Store } from '../../activities/storage/store';
import { healthCheckRecordSchema } from '../../domain/monitoring';
import { jurisdictionSchema } from '../../domain/project';
import { paymentBlockScopeSchema } from '../../domain/records';
import { profileFor } from '../../domain/policy';
import { problem } from '../problems';
import { pageQuery, type RouteSpec } from '../route-spec';

const systemSchema = z.object({
  projectId: z.string(),
  name: z.string(),
  unit: z.string(),
  /** The newest check (monthly round, recheck or report by hand), or null before the first. */
  lastCheck: healthCheckRecordSchema.nullable(),
  /** The system's money blocks in force: a forced exit blocks its O&M money (002 (二)). */
  blocks: z.array(z.object({ scope: paymentBlockScopeSchema, reason: z.string(), rule: z.string(), since: z.string() })),
});

/**
 * The review office's view of a jurisdiction's monitoring (002 (二)): every system in operation, from
 * the system of record, with its newest check and the money blocks in force — the systems on the
 * forced-exit path show theirs. One project's checks and its forced exit: GET /projects/{id}/monitoring.
 */
export function monitoringRoutes(store: Store): RouteSpec[] {
  return [
    {
      method: 'get',
      path: '/monitoring/:jurisdiction',
      summary: "The jurisdiction's systems in operation with their newest health check and the money blocks in force (Suqian, 002 (二))",
      roles: ['reviewOffice', 'finance', 'auditor', 'audit', 'admin'],
      query: z.object(pageQuery).strict(),
      success: { status: 200, description: 'Systems in operation, by project id', schema: z.object({ jurisdiction: z.string(), rule: z.string(), items: z.array(systemSchema), limit: z.number(), offset: z.number() }) },
      problems: { 422: 'No such jurisdiction, or it has no monitoring' },
      handler: async ({ params, query }) => {
        const jurisdiction = jurisdictionSchema.safeParse(params.jurisdiction);
        if (!jurisdiction.success) throw problem.field('/params/jurisdiction', `must be one of ${jurisdictionSchema.options.join(', ')}`);
        const policy = profileFor(jurisdiction.data).monitoring;
        if (!policy) throw problem.rule(`${jurisdiction.data} has no monitoring of systems in operation`, 'monitoring', '/params/jurisdiction');
        const systems = await store.findProjects({ stage: 'operations', jurisdiction: jurisdiction.data }, query);
        const lastChecks = new Map((await store.latestHealthChecks(jurisdiction.data)).map((check) => [check.projectId, check]));
        const items = await Promise.all(systems.filter((row) => !row.ended_outside).map(async (row) => ({
          projectId: row.project_id, name: row.name, unit: row.unit,
          lastCheck: lastChecks.get(row.project_id) ?? null,
          blocks: await store.openPaymentBlocksOf(row.project_id),
        })));
        return { jurisdiction: jurisdiction.data, rule: policy.rule, items, limit: query.limit, offset: query.offset };
      },
    },
  ];
}
