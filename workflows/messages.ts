import { defineQuery } from '@temporalio/workflow';
import type { LifecycleState } from '../domain/project';

/**
 * Every signal, query and update of the project workflows, declared once. The API imports this
 * module, so a renamed message cannot drift between the two sides.
 */
export const lifecycleStateQuery = defineQuery<LifecycleState>('lifecycleState');
