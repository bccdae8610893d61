import { temporal } from '@temporalio/proto';
import { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { msToTs } from '@temporalio/common/lib/time';
import type { NativeConnection } from '@temporalio/worker';
import type { Connection } from '@temporalio/client';
import { projectSearchAttributeKeys } from '../workflows/search-attributes';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

const indexedValueTypes: Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.TEXT]: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** The operator API's form of search attribute definitions. */
export function searchAttributeDefinitions(
  keys: SearchAttributeKey<SearchAttributeType>[],
): Record<string, temporal.api.enums.v1.IndexedValueType> {
  return Object.fromEntries(keys.map((key) => [key.name, indexedValueTypes[key.type as SearchAttributeType]]));
}

type ServiceConnection = Pick<Connection | NativeConnection, 'operatorService' | 'workflowService'>;

/**
 * Makes a namespace ready for the app, idempotently, at every start: `temporal server start-dev
 * --search-attribute` only applies to a fresh database, so an existing dev-server file (or a cluster)
 * gets the missing attributes added here. The retention is raised because the dev server's default of
 * one day would purge a closed project's history before anyone audited it.
 */
export async function prepareNamespace(
  connection: ServiceConnection,
  namespace: string,
  retentionDays: number,
  keys: SearchAttributeKey<SearchAttributeType>[] = projectSearchAttributeKeys,
): Promise<{ added: string[] }> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set([
    ...Object.keys(existing.customAttributes ?? {}),
    ...Object.keys(existing.systemAttributes ?? {}),
  ]);
  const missing = keys.filter((key) => !known.has(key.name));
  if (missing.length > 0) {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: searchAttributeDefinitions(missing),
    });
  }

  const described = await connection.workflowService.describeNamespace({ namespace });
  const currentSeconds = Number(described.config?.workflowExecutionRetentionTtl?.seconds ?? 0);
  if (currentSeconds < retentionDays * 24 * 60 * 60) {
    await connection.workflowService.updateNamespace({
      namespace,
      config: { workflowExecutionRetentionTtl: msToTs(`${retentionDays} days`) },
    });
  }
  return { added: missing.map((key) => key.name) };
}
