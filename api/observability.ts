import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Structured logs with a request id (X-Request-Id, echoed back) on every line of a request. */
export function requestLogging(level: string): RequestHandler {
  const logger = pino({ level, base: { service: 'zhengwu-flow-api' } });
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // Tokens never reach the log.
    redact: ['req.headers.authorization'],
    // Probes (npm start polls /ready while the worker comes up; orchestrators poll both) are not news.
    autoLogging: { ignore: (req) => req.url === '/ready' || req.url === '/health' },
  });
}

/** Prometheus metrics of the API process: HTTP requests by route and status, and Node's defaults. */
export function httpMetrics(): { registry: Registry; middleware: RequestHandler } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: 'zhengwu_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const duration = new Histogram({ name: 'zhengwu_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'], registers: [registry] });
  const middleware: RequestHandler = (req, res, next) => {
    const stop = duration.startTimer();
    res.on('finish', () => {
      // The route pattern, not the raw path, keeps label cardinality bounded.
      const route = (req.route?.path as string | undefined) ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      stop({ method: req.method, route });
    });
    next();
  };
  return { registry, middleware };
}
