import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RetentionState } from '../../domain/lifecycle';
import { runFinanceReads } from '../../bench/finance-reads';

/**
 * The finance-reads benchmark's smoke run: 200 projects on SQLite, every read answered as seeded and
 * measured. No timing is asserted — a timed assertion would fail under load; the figures of the full
 * run (10,000 projects) are in bench/results.
 */
describe('bench/finance-reads.ts on 200 projects (SQLite)', () => {
  it('seeds the store through its write methods, checks every read against the seeded data and measures each', async () => {
    const resultsDir = mkdtempSync(join(tmpdir(), 'zhengwu-finance-reads-'));
    const result = await runFinanceReads({ projects: 200, backend: 'sqlite', requests: 50, resultsDir });

    const { tranches } = result.seeded;
    expect(result.seeded).toMatchObject({ projects: 200, contracts: 200 });
    expect(Object.values(tranches).reduce((sum, n) => sum + n, 0)).toBe(600);
    for (const status of ['scheduled', 'due', 'blocked', 'released'] as const) expect(tranches[status]).toBeGreaterThan(0);
    expect(result.seeded.openBlocks).toBeGreaterThan(0);

    expect(result.checks).toHaveLength(6);
    for (const check of result.checks) expect({ check: check.name, answer: check.actual }).toEqual({ check: check.name, answer: check.expected });
    // The seeded retentions themselves follow 001 §19: 15% withheld, the tranches adding up to it.
    const retentions = result.checks.find((c) => c.name.startsWith('retention of'))!.expected as RetentionState[];
    for (const r of retentions) {
      expect(r.withheldFen).toBe(Math.floor((r.sumFen * 15) / 100));
      expect(r.tranches.reduce((sum, t) => sum + t.amountFen, 0)).toBe(r.withheldFen);
    }
    const payable = result.checks.find((c) => c.name.startsWith('payable totals'))!.actual as Record<string, { count: number }>;
    expect(Object.values(payable).reduce((sum, t) => sum + t.count, 0)).toBeGreaterThan(0);

    expect(result.figures.map((f) => f.name)).toEqual([
      'GET /retention/payable (a quarter, first page of 100, totals)',
      'GET /retention/payable.csv (a month)',
      'GET /contracts/{contractId}/retention (random contracts)',
      'GET /projects?limit=50&offset=<random>',
      'GET /payments/blocks (in force, first page of 100)',
    ]);
    for (const figure of result.figures) {
      expect(figure.count).toBe(50);
      expect(figure.p50).toBeGreaterThan(0);
      expect(figure.p99).toBeGreaterThanOrEqual(figure.p50);
      expect(figure.sequentialP50).toBeGreaterThan(0);
    }
    const name = `${result.date.slice(0, 10)}-finance-reads-sqlite`;
    expect(readdirSync(resultsDir).sort()).toEqual([`${name}.json`, `${name}.md`]);
  });
});
