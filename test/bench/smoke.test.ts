import { runBench } from '../../bench/run';

/**
 * The benchmark's smoke run (`npm run bench -- --smoke`): every figure measured on a real dev server
 * with its bare-Temporal baseline and ratio, in a few seconds. Speed goals are not asserted here — a
 * timed assertion would fail under load; the figures are read from bench/results.
 */
describe('npm run bench -- --smoke', () => {
  it('measures registrations, decisions and worker memory per cached workflow against bare Temporal on the same server, the corpus\'s history sizes and the longest one\'s replay, and the load generator\'s own cost', async () => {
    const result = await runBench({ smoke: true, server: 'dev' });
    expect(result.figures.map((f) => f.name)).toEqual([
      'registrations, concurrency 16 (POST /projects vs workflow.start)',
      'reviewer decision, concurrency 1 (POST /decisions vs executeUpdate)',
      'reviewer decision, concurrency 8 (POST /decisions vs executeUpdate)',
    ]);
    for (const figure of result.figures) {
      expect(figure.product.count).toBeGreaterThan(0);
      expect(figure.bare?.count).toBe(figure.product.count);
      expect(figure.ratio).toMatch(/^\d+\.\d\d×$/);
    }
    expect(result.history.events).toBeGreaterThan(100);
    expect(result.history.replayMs).toBeGreaterThan(0);
    expect(result.history.corpus.runs).toBeGreaterThan(20);
    expect(result.history.corpus.eventsMax).toBe(result.history.events);
    // Worker memory per cached workflow, with its baseline. At 20 workflows the heap's own movement between
    // two full GCs is as large as what they hold (the bare one has read below zero): the figure is produced
    // here, and judged in the full run's 400 workflows.
    expect(result.memory.workflows).toBe(20);
    expect(Number.isFinite(result.memory.productMiBPerWorkflow)).toBe(true);
    expect(Number.isFinite(result.memory.bareMiBPerWorkflow)).toBe(true);
    // What the load generator costs, measured with the same loops.
    expect(result.loadGenerator.apiNoop.count).toBe(16);
    expect(result.loadGenerator.clientNoop.count).toBe(16);
  });
});
