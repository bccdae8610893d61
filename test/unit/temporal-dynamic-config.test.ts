import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { devServerDynamicConfigArgs } from '../../worker/server-settings';

const root = join(__dirname, '..', '..');
/** The settings of config/temporal-dynamic.yaml as `key=value`, the form `--dynamic-config-value` takes. */
const yamlSettings = Object.entries(parse(readFileSync(join(root, 'config', 'temporal-dynamic.yaml'), 'utf8')) as Record<string, { value: unknown }[]>)
  .map(([key, [setting]]) => `${key}=${String(setting!.value)}`)
  .sort();
const argsSettings = (args: readonly string[]) => args.filter((_, i) => args[i - 1] === '--dynamic-config-value').sort();

describe('one dynamic config for every Temporal server the app runs on', () => {
  it('gives the dev servers of the tests and the benchmark the settings of config/temporal-dynamic.yaml (eager activities among them)', () => {
    expect(yamlSettings).toContain('system.enableActivityEagerExecution=true');
    expect(argsSettings(devServerDynamicConfigArgs)).toEqual(yamlSettings);
  });

  it("gives npm start's dev server the same settings (scripts/up.sh)", () => {
    const upScript = readFileSync(join(root, 'scripts', 'up.sh'), 'utf8');
    expect([...upScript.matchAll(/--dynamic-config-value (\S+)/g)].map((match) => match[1]!).sort()).toEqual(yamlSettings);
  });

  it('mounts the file into the docker-compose server and the PostgreSQL script copies it', () => {
    expect(readFileSync(join(root, 'docker-compose.yml'), 'utf8')).toContain('./config/temporal-dynamic.yaml:/etc/temporal/config/dynamicconfig/zhengwu.yaml:ro');
    expect(readFileSync(join(root, 'scripts', 'start-temporal-postgres.sh'), 'utf8')).toContain('config/temporal-dynamic.yaml');
  });
});
