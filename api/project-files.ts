import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { rulesCatalogueSchema, type RulesCatalogue } from '../domain/policy/catalogue';

/**
 * Files the product ships beside its code: found from here both in the sources (ts-jest) and in the
 * compiled dist/ (npm start, the container image), by walking up to zhengwu-flow's package.json.
 */
export function projectRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'zhengwu-flow') return dir;
    if (dirname(dir) === dir) throw new Error(`package.json of zhengwu-flow not found above ${__dirname}`);
  }
}

export function productVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** The rules catalogue generated from the policy profiles (docs/rules-catalogue.json, kept current by a test). */
export const RULES_CATALOGUE_FILE = join('docs', 'rules-catalogue.json');

export function readRulesCatalogue(): RulesCatalogue {
  return rulesCatalogueSchema.parse(JSON.parse(readFileSync(join(projectRoot(), RULES_CATALOGUE_FILE), 'utf8')));
}
