import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import request from 'supertest';
import type { Express } from 'express';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { createApp, type AppDependencies } from '../../api/app';
import type { AuthOptions } from '../../api/auth';
import type { StorageHandle } from '../../activities/storage/database';
import { TASK_QUEUE } from './temporal';
import { ALL_ROLES } from '../../api/route-spec';
import type { Role } from '../../domain/records';
import { createStore } from '../../activities/storage/store';
import { BIJIE_COUNTY_UNIT, BIJIE_UNIT, JIAN_UNIT, NANFENG_UNIT, SUQIAN_UNIT, UNIT } from './lifecycle';

/** Real credentials for the test app: one API key per role (unit keys for two units) and an HS256 secret. */
const key = (name: string) => `test-${name}-${randomBytes(16).toString('hex')}`;
const keys = Object.fromEntries(ALL_ROLES.map((role) => [role, key(role)])) as Record<Role, string>;
const otherUnitKey = key('other-unit');
const jianUnitKey = key('jian-unit');
const bijieUnitKey = key('bijie-unit');
const suqianUnitKey = key('suqian-unit');
export const OTHER_UNIT = '益阳市教育局';
export const JWT_SECRET = randomBytes(32).toString('hex');

export const testAuth: AuthOptions = {
  apiKeys: [
    ...ALL_ROLES.map((role) => ({ key: keys[role], id: `${role}:tester`, role, ...(role === 'unit' ? { unit: UNIT } : {}) })),
    { key: otherUnitKey, id: 'unit:other', role: 'unit', unit: OTHER_UNIT },
    { key: jianUnitKey, id: 'unit:jian', role: 'unit', unit: JIAN_UNIT },
    { key: bijieUnitKey, id: 'unit:bijie', role: 'unit', unit: BIJIE_UNIT },
    { key: suqianUnitKey, id: 'unit:suqian', role: 'unit', unit: SUQIAN_UNIT },
  ],
  jwtSecret: JWT_SECRET,
};

/** A role's token; 'otherUnit' is a second Yiyang unit, 'jianUnit' a Ji'an unit, 'bijieUnit' a Bijie unit, 'suqianUnit' a Suqian unit. */
export type TestCaller = Role | 'otherUnit' | 'jianUnit' | 'bijieUnit' | 'suqianUnit';
const unitKeys: Record<string, string> = { otherUnit: otherUnitKey, jianUnit: jianUnitKey, bijieUnit: bijieUnitKey, suqianUnit: suqianUnitKey };
export const bearer = (role: TestCaller) => `Bearer ${unitKeys[role] ?? keys[role as Role]}`;

export function signJwt(claims: Record<string, unknown>, secret = JWT_SECRET, expiresIn = '10m'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(expiresIn).sign(new TextEncoder().encode(secret));
}

/** The construction units the tests register projects for, in the registry (PUT /units does the same). */
export async function seedTestUnits(storage: StorageHandle): Promise<void> {
  const store = createStore(storage);
  for (const [name, jurisdiction] of [[UNIT, 'yiyang'], [OTHER_UNIT, 'yiyang'], [NANFENG_UNIT, 'nanfeng'], [JIAN_UNIT, 'jian'], [BIJIE_UNIT, 'bijie'], [SUQIAN_UNIT, 'suqian']] as const) {
    await store.registerUnit({ name, jurisdiction, by: 'test-setup', at: new Date().toISOString() });
  }
  await store.registerUnit({ name: BIJIE_COUNTY_UNIT, jurisdiction: 'bijie', county: '七星关区', by: 'test-setup', at: new Date().toISOString() });
}

/** supertest with a role's token. */
export function as(app: Express, role: TestCaller) {
  return {
    get: (path: string) => request(app).get(path).set('Authorization', bearer(role)),
    post: (path: string) => request(app).post(path).set('Authorization', bearer(role)),
    put: (path: string) => request(app).put(path).set('Authorization', bearer(role)),
  };
}

/** The production app wired to a test environment, with the test credentials and its own data folder. */
export function testApp(client: Client, storage: StorageHandle, overrides: Partial<AppDependencies> = {}): Express {
  return createApp({
    client, taskQueue: TASK_QUEUE, storage, auth: testAuth, dataDir: mkdtempSync(join(tmpdir(), 'zhengwu-api-')), logLevel: 'warn', ...overrides,
  });
}
