import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { jurisdictionSchema } from '../../domain/project';
import { lineText } from '../../domain/text';
import type { Store } from './store';

/**
 * UNITS_FILE: the construction units to have in the registry, e.g. [{ "name": "益阳市城市管理局", "jurisdiction": "yiyang" }];
 * a county unit names its county: { "name": "吉水县行政审批局", "jurisdiction": "jian", "county": "吉水县" }.
 */
export const unitsFileSchema = z.array(z.object({ name: lineText(100), jurisdiction: jurisdictionSchema, county: lineText(100).optional() }).strict());

/** Registers every unit of the file that is not registered yet; returns the names newly added. */
export async function importUnitsFile(store: Store, path: string, at: string): Promise<string[]> {
  const units = unitsFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  const added: string[] = [];
  for (const unit of units) {
    if ((await store.registerUnit({ ...unit, by: `units-file:${path}`, at })).created) added.push(unit.name);
  }
  return added;
}
