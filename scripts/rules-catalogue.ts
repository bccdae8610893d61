import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { allProfiles } from '../domain/policy';
import { rulesCatalogue, rulesCatalogueMarkdown, type RulesCatalogue, type TestTitle } from '../domain/policy/catalogue';

/**
 * `npm run rules:catalogue`: writes docs/rules-catalogue.json (served by GET /rules) and
 * docs/RULES-CATALOGUE.md from the policy profiles and the names of the tests that cite each article.
 * test/unit/rules-catalogue.test.ts regenerates both and fails if the committed files differ.
 */

export const CATALOGUE_JSON = join('docs', 'rules-catalogue.json');
export const CATALOGUE_MARKDOWN = join('docs', 'RULES-CATALOGUE.md');

const BLOCKS = new Set(['describe', 'it', 'test']);

/** Every test's full name (describe blocks › test), read from the test files' syntax trees. */
export function collectTestTitles(root: string): TestTitle[] {
  const titles: TestTitle[] = [];
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.test.ts') ? [join(dir, entry.name)] : [],
    );
  for (const path of files(join(root, 'test')).sort()) {
    const file = relative(root, path).split('\\').join('/');
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node, prefix: string[]): void => {
      if (ts.isCallExpression(node)) {
        const block = blockOf(node);
        const title = node.arguments[0] && titleText(node.arguments[0]);
        if (block && title !== undefined) {
          const path = [...prefix, title];
          if (block !== 'describe') titles.push({ file, title: path.join(' › ') });
          node.arguments.slice(1).forEach((argument) => visit(argument, path));
          return;
        }
      }
      ts.forEachChild(node, (child) => visit(child, prefix));
    };
    visit(source, []);
  }
  return titles;
}

/** describe / it / test, also as describe.each(…)(…) and it.only(…); skipped and to-do tests prove nothing. */
function blockOf(call: ts.CallExpression): string | undefined {
  let callee: ts.Expression = call.expression;
  if (ts.isCallExpression(callee)) callee = callee.expression; // describe.each(table)(title, fn)
  while (ts.isPropertyAccessExpression(callee)) {
    if (callee.name.text === 'skip' || callee.name.text === 'todo') return undefined;
    callee = callee.expression;
  }
  return ts.isIdentifier(callee) && BLOCKS.has(callee.text) ? callee.text : undefined;
}

function titleText(node: ts.Expression): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.getText().slice(1, -1);
  return undefined;
}

export function currentCatalogue(root: string): { catalogue: RulesCatalogue; json: string; markdown: string } {
  const catalogue = rulesCatalogue(allProfiles, collectTestTitles(root));
  return { catalogue, json: `${JSON.stringify(catalogue, null, 2)}\n`, markdown: `${rulesCatalogueMarkdown(catalogue)}\n` };
}

if (require.main === module) {
  // Run from dist/scripts: the project root is two levels up.
  const root = join(__dirname, '..', '..');
  const { catalogue, json, markdown } = currentCatalogue(root);
  writeFileSync(join(root, CATALOGUE_JSON), json);
  writeFileSync(join(root, CATALOGUE_MARKDOWN), markdown);
  const unproven = catalogue.rules.filter((rule) => rule.statutory && rule.provenBy.length === 0);
  console.log(`${catalogue.rules.length} rules written to ${CATALOGUE_JSON} and ${CATALOGUE_MARKDOWN}; ${unproven.length} without a test citing their article`);
}
