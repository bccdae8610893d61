import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHealthCheckActivity } from '../../activities/monitoring';

/**
 * The monitoring's call of a health endpoint (002 (二)), against real HTTP servers on the loopback: what
 * each kind of answer — or silence — is recorded as. An unhealthy system is a result, never a thrown error.
 */
describe('checkHealth', () => {
  const servers: Server[] = [];

  /** A server on a free loopback port answering every request with `answer`; its base URL. */
  async function serve(answer: (response: ServerResponse) => void): Promise<string> {
    const server = createServer((_request, response) => answer(response));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  afterAll(async () => {
    for (const server of servers) {
      // The silent server still holds the connection the check gave up on.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  const checkHealth = createHealthCheckActivity({ timeoutMs: 2_000 });

  it('calls a 2xx answer healthy, with the time it took', async () => {
    const url = await serve((response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('ok '.repeat(100_000)));
    const result = await checkHealth({ endpoint: `${url}/health` });
    expect(result).toMatchObject({ healthy: true, httpStatus: 200 });
    expect(result.detail).toMatch(/^HTTP 200 in \d+ ms$/);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('calls a 204 healthy too: any 2xx', async () => {
    const url = await serve((response) => response.writeHead(204).end());
    expect(await checkHealth({ endpoint: url })).toMatchObject({ healthy: true, httpStatus: 204 });
  });

  it('calls an error status unhealthy, naming it', async () => {
    const url = await serve((response) => response.writeHead(503).end('maintenance'));
    expect(await checkHealth({ endpoint: url })).toMatchObject({ healthy: false, detail: 'HTTP 503', httpStatus: 503 });
  });

  it('does not follow a redirect: a 302 (to a login page, say) is no sign of health', async () => {
    const target = await serve((response) => response.writeHead(200).end('login'));
    const url = await serve((response) => response.writeHead(302, { location: `${target}/login` }).end());
    expect(await checkHealth({ endpoint: url })).toMatchObject({ healthy: false, detail: 'HTTP 302', httpStatus: 302 });
  });

  it('gives up on a server that never answers, after the timeout', async () => {
    const url = await serve(() => undefined);
    const result = await createHealthCheckActivity({ timeoutMs: 300 })({ endpoint: url });
    expect(result).toMatchObject({ healthy: false, detail: 'no answer within 300 ms', httpStatus: null });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(250);
  });

  it('names a refused connection', async () => {
    // A port that was just free: a server opened and closed on it.
    const url = await serve((response) => response.end());
    const server = servers.pop() as Server;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const result = await checkHealth({ endpoint: url });
    expect(result).toMatchObject({ healthy: false, httpStatus: null });
    expect(result.detail).toMatch(/refused/);
  });

  it('calls a system without a declared endpoint unhealthy, without calling anything', async () => {
    expect(await checkHealth({ endpoint: null })).toEqual({ healthy: false, detail: 'no health endpoint declared', httpStatus: null, elapsedMs: 0 });
  });

  it('calls an endpoint that is not an http(s) URL invalid, without calling anything', async () => {
    const result = await checkHealth({ endpoint: 'ftp://x' });
    expect(result).toMatchObject({ healthy: false, httpStatus: null, elapsedMs: 0 });
    expect(result.detail).toMatch(/^invalid endpoint: /);
    expect((await checkHealth({ endpoint: 'not a url' })).detail).toMatch(/^invalid endpoint: /);
  });
});
