import type { Store } from '../activities/storage/store';
import { projectIdSchema } from '../domain/project';
import { inUnitScope, type Principal } from './auth';
import { problem } from './problems';

/**
 * A project's row in the system of record, scoped before anything else is asked: a unit gets 404 for
 * another unit's project exactly as for a missing one — same cost, same answer. Other roles get the row,
 * or undefined when there is none.
 */
export async function scopedProjectRow(store: Store, principal: Principal, projectId: string) {
  const parsed = projectIdSchema.safeParse(projectId);
  if (!parsed.success) throw problem.invalid(parsed.error, 'path');
  const record = await store.projectRecord(projectId);
  if (principal.role === 'unit' && !(record && inUnitScope(principal, record.unit))) throw problem.notFound(`No project ${projectId}`);
  return record;
}

/** The scoped row of a project that must exist (its documents, its payments): 404 otherwise. */
export async function existingProjectRow(store: Store, principal: Principal, projectId: string) {
  const record = await scopedProjectRow(store, principal, projectId);
  if (!record) throw problem.notFound(`No project ${projectId}`);
  return record;
}
