import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configEnvNames, loadConfig } from '../../config';

/**
 * No Docker engine runs here, so docker-compose.yml is checked against the code it wires: the services
 * exist, images are pinned, ports line up, and every variable the app containers get is one that
 * config/index.ts understands and accepts.
 */
const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; build?: unknown; ports?: string[]; environment?: Record<string, string>; command?: string[] }>;
};
const services = compose.services;

describe('docker-compose.yml', () => {
  it('has Temporal on PostgreSQL, the Temporal UI, and the app worker and API', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'postgresql', 'temporal', 'temporal-ui', 'worker']);
    expect(services.temporal?.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
  });

  it('pins every image to a version tag', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) continue;
      expect({ name, image: service.image }).toEqual({ name, image: expect.stringMatching(/^[\w./-]+:\d[\w.-]*$/) });
    }
  });

  it('publishes the ports the README names: gRPC 7233, UI 8233, API 3000', () => {
    expect(services.temporal?.ports).toContain('7233:7233');
    expect(services['temporal-ui']?.ports).toContain('8233:8080');
    expect(services.api?.ports).toContain(`${services.api?.environment?.API_PORT}:3000`);
  });

  it('gives the app containers only variables the config module knows, with valid values', () => {
    for (const name of ['worker', 'api'] as const) {
      const environment = services[name]?.environment ?? {};
      expect(Object.keys(environment).filter((key) => !(configEnvNames as string[]).includes(key))).toEqual([]);
      const config = loadConfig(environment);
      expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
    }
    expect(services.worker?.command).toEqual(['node', 'dist/worker/main.js']);
    expect(services.api?.command).toEqual(['node', 'dist/api/main.js']);
  });

  const composeCli = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  const composeAvailable = composeCli.status === 0;
  (composeAvailable ? it : it.skip)('is accepted by `docker compose config` (where the compose plugin is installed)', () => {
    execFileSync('docker', ['compose', '-f', join(root, 'docker-compose.yml'), 'config', '--quiet'], { stdio: 'pipe' });
  });
});
