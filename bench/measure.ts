import { cpus, loadavg, totalmem } from 'node:os';

/** What the benchmarks share: percentiles, the machine they ran on, a bounded load loop, a quiet bundler log. */

/** The p-th percentile of ascending `sorted` (nearest rank). */
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** The machine a result was measured on, with its load average at the end of the run. */
export const machine = () => ({ cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), loadAverage: loadavg(), node: process.version });

/**
 * Runs `task(i)` for i < count with at most `concurrency` at once; each latency in ms and the wall time.
 * `progress`, when given, hears how many are done at most every 10 s.
 */
export async function load(count: number, concurrency: number, task: (i: number) => Promise<unknown>, progress?: (done: number, perSecond: number) => void): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  let lastProgress = started;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    for (let i = next++; i < count; i = next++) {
      const t = performance.now();
      await task(i);
      latencies.push(performance.now() - t);
      if (progress && performance.now() - lastProgress > 10_000) {
        lastProgress = performance.now();
        progress(latencies.length, latencies.length / ((lastProgress - started) / 1000));
      }
    }
  }));
  return { latencies, wallMs: performance.now() - started };
}

/** The bundler's log, errors only. */
export const quietLogger = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: console.error };
