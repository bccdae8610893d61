import { cachedWorkflowsFor } from '../../worker/create-worker';

describe('the worker cache, sized from measured memory', () => {
  it('gives the cache half the heap at the planned size per workflow, and never fewer than 10 workflows', () => {
    // Node's default heap on this machine is 4,144 MiB: 2,072 MiB for 8,288 workflows.
    expect(cachedWorkflowsFor(4144)).toBe(8288);
    expect(cachedWorkflowsFor(512)).toBe(1024);
    expect(cachedWorkflowsFor(1)).toBe(10);
  });
});
