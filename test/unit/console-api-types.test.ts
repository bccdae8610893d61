import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_API_TYPES_FILE, consoleApiTypes, servedOpenApiDocument } from '../../scripts/console-api-types';

/**
 * The console's API client is typed from the OpenAPI document the app serves. If a route or a schema
 * changes, the committed declarations must be regenerated (`npm run console:api`), or the console would
 * be type-checked against an API that no longer exists.
 */
describe('the web console API client', () => {
  it('is generated from the OpenAPI document the app serves now', async () => {
    const committed = readFileSync(join(__dirname, '..', '..', CONSOLE_API_TYPES_FILE), 'utf8');
    expect(committed === (await consoleApiTypes(await servedOpenApiDocument()))).toBe(true);
  });
});
