import { createActivities } from '../../activities';
import type { StorageHandle } from '../../activities/storage/database';
import { createStore, type Store } from '../../activities/storage/store';
import type { HealthCheckRecord } from '../../domain/monitoring';
import type { ProjectRecord } from '../../domain/records';
import { engines, openTestStorage } from '../helpers/storage';
import { unusedTemporal } from '../helpers/temporal-client';

/** The monitoring's part of the system of record (002 (二)): health checks, and the systems the monthly round asks. */
const at = (day: string, time = '02:00:00') => `${day}T${time}.000Z`;

const project = (projectId: string, overrides: Partial<ProjectRecord> = {}): ProjectRecord => ({
  projectId,
  name: '政务服务一体化平台',
  unit: '益阳市数据资源管理局',
  jurisdiction: 'yiyang',
  profileVersion: 'yiyang@2022',
  planYear: 2025,
  investmentFen: 120_000_000,
  fundingSource: '市本级财政',
  stage: 'trialRun',
  registeredAt: at('2025-01-10'),
  ...overrides,
});

const check = (projectId: string, checkKey: string, overrides: Partial<HealthCheckRecord> = {}): HealthCheckRecord => ({
  checkKey,
  projectId,
  period: '2027-03',
  source: 'schedule',
  healthy: true,
  detail: 'HTTP 200 in 12 ms',
  endpoint: 'https://zwfw.example.gov.cn/health',
  checkedAt: at('2027-03-01'),
  recordedBy: 'system:monitoring',
  ...overrides,
});

describe.each(engines)('health checks on %s', (engine) => {
  let storage: StorageHandle;
  let store: Store;

  /** A project registered, then moved into `stage` by its 'entered' event, as a workflow moves it. */
  async function projectIn(projectId: string, stage: string, overrides: Partial<ProjectRecord> = {}): Promise<void> {
    await store.registerProject(project(projectId, overrides));
    await store.recordStageEvent({ eventKey: `${projectId}:${stage}`, projectId, stage, kind: 'entered', occurredAt: at('2026-06-01') });
  }

  const auditEntriesOf = async (subject: string) =>
    storage.db.selectFrom('audit_log').select(['entry_key', 'action']).where('subject', '=', subject).where('action', 'like', 'monitoring.%').execute();

  beforeAll(async () => {
    storage = await openTestStorage(engine);
    store = createStore(storage);
    await projectIn('HC-A', 'operations');
    await projectIn('HC-B', 'operations');
    await projectIn('HC-C', 'operations');
    await projectIn('HC-D', 'operations');
    await projectIn('HC-TRIAL', 'trialRun');
    await projectIn('HC-RETIRED', 'operations');
    await store.recordStageEvent({ eventKey: 'HC-RETIRED:retired', projectId: 'HC-RETIRED', stage: 'retired', kind: 'entered', occurredAt: at('2026-12-01') });
    await projectIn('HC-ENDED', 'operations');
    await store.recordEndedOutside({ projectId: 'HC-ENDED', status: 'TERMINATED', closedAt: at('2027-01-05'), detectedAt: at('2027-01-05', '02:01:00') });
    await projectIn('HC-NANFENG', 'operations', { jurisdiction: 'nanfeng', profileVersion: 'nanfeng@2021', unit: '南豐縣數據局' });
  });
  afterAll(() => storage?.close());

  it('records a check once by its key, with one audit entry, however often the transition is retried', async () => {
    const activities = createActivities({ storage, temporal: unusedTemporal });
    const first = check('HC-A', 'HC-A:monitoring:2027-03', { healthy: false, detail: 'HTTP 503', endpoint: null });
    expect(await store.recordHealthCheck(first)).toEqual({ created: true });
    expect(await store.recordHealthCheck(first)).toEqual({ created: false });
    await activities.recordTransition({ healthCheck: first });

    expect(await store.healthChecksOf('HC-A')).toEqual([first]);
    expect(await auditEntriesOf('HC-A')).toEqual([{ entry_key: 'health-check:HC-A:monitoring:2027-03', action: 'monitoring.unhealthy' }]);
  });

  it('refuses a check that is not a record (a bad period) before writing anything', async () => {
    await expect(store.recordHealthCheck(check('HC-B', 'HC-B:bad', { period: '2027-13' }))).rejects.toThrow(/month/);
    expect(await store.healthChecksOf('HC-B')).toEqual([]);
  });

  it("lists a project's checks oldest first, by time and then key", async () => {
    const april = check('HC-B', 'HC-B:2', { period: '2027-04', checkedAt: at('2027-04-01') });
    const march = check('HC-B', 'HC-B:9', { period: '2027-03', checkedAt: at('2027-03-01') });
    const recheck = check('HC-B', 'HC-B:1', { period: '2027-04', source: 'recheck', checkedAt: at('2027-04-01') });
    for (const record of [april, march, recheck]) await store.recordHealthCheck(record);
    expect((await store.healthChecksOf('HC-B')).map((record) => record.checkKey)).toEqual(['HC-B:9', 'HC-B:1', 'HC-B:2']);
  });

  it('lists the systems in operation of a jurisdiction only, without ended or retired ones, page by page', async () => {
    expect(await store.systemsInOperation({ jurisdiction: 'yiyang', limit: 100 })).toEqual(['HC-A', 'HC-B', 'HC-C', 'HC-D']);
    expect(await store.systemsInOperation({ jurisdiction: 'nanfeng', limit: 100 })).toEqual(['HC-NANFENG']);

    const firstPage = await store.systemsInOperation({ jurisdiction: 'yiyang', limit: 3 });
    expect(firstPage).toEqual(['HC-A', 'HC-B', 'HC-C']);
    expect(await store.systemsInOperation({ jurisdiction: 'yiyang', after: firstPage.at(-1), limit: 3 })).toEqual(['HC-D']);
    expect(await store.systemsInOperation({ jurisdiction: 'yiyang', after: 'HC-D', limit: 3 })).toEqual([]);
  });

  it("gives each project's newest check, for the projects of the jurisdiction that have one", async () => {
    await store.recordHealthCheck(check('HC-C', 'HC-C:old', { checkedAt: at('2027-02-01'), period: '2027-02', healthy: false, detail: 'HTTP 500' }));
    await store.recordHealthCheck(check('HC-C', 'HC-C:new', { checkedAt: at('2027-03-01') }));
    await store.recordHealthCheck(check('HC-NANFENG', 'HC-NANFENG:1'));

    const latest = await store.latestHealthChecks('yiyang');
    expect(latest.map((record) => [record.projectId, record.checkKey])).toEqual([
      ['HC-A', 'HC-A:monitoring:2027-03'],
      // Two checks of the same instant: the greater key, one row.
      ['HC-B', 'HC-B:2'],
      ['HC-C', 'HC-C:new'],
    ]);
    expect(latest[0]).toMatchObject({ healthy: false, detail: 'HTTP 503', endpoint: null });
    expect(latest[2]).toMatchObject({ healthy: true, source: 'schedule', period: '2027-03' });
    expect((await store.latestHealthChecks('nanfeng')).map((record) => record.checkKey)).toEqual(['HC-NANFENG:1']);
  });
});
