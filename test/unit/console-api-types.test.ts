import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/**
 * The console's API client is typed from the OpenAPI document the app serves. If a route or a schema
 * changes, the committed declarations must be regenerated (`npm run console:api`), or the console would
 * be type-checked against an API that no longer exists. The generator runs as the compiled script
 * (scripts/test.sh compiles it with the tests before Jest starts).
 */
describe('the web console API client', () => {
  it('is generated from the OpenAPI document the app serves now', () => {
    const committed = readFileSync(join(root, 'web', 'src', 'api', 'schema.d.ts'), 'utf8');
    const generated = execFileSync(process.execPath, [join(root, 'dist', 'scripts', 'console-api-types.js'), '--stdout'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(generated.length).toBeGreaterThan(10_000);
    // Not toEqual: a 500 kB diff would bury the message. Regenerate with `npm run console:api`.
    expect(generated === committed).toBe(true);
  });
});
