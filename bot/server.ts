/**
 * The restify server and the operations endpoints: /healthz (the process is
 * alive), /readyz (Redis reachable and content loaded: send traffic here),
 * /metrics (Prometheus).
 */
import restify, { type Server } from 'restify';
import type { Logger } from './log';
import type { BotMetrics } from './metrics';
import { sendJson } from './http/respond';
import { route } from './http/route';

export interface OpsDeps {
  logger: Logger;
  metrics: BotMetrics;
  checks: Record<string, () => Promise<boolean>>;
  isShuttingDown: () => boolean;
}

export function createServer(deps: OpsDeps): Server {
  const server = restify.createServer({ name: 'complaint-front-door', handleUncaughtExceptions: false });
  server.pre(restify.plugins.pre.dedupeSlashes());
  server.use(restify.plugins.queryParser({ mapParams: false }));

  server.get('/healthz', route(deps.logger, 'healthz', async (_req, res) => {
    sendJson(res, 200, { status: 'ok' });
  }));

  server.get('/readyz', route(deps.logger, 'readyz', async (_req, res) => {
    const results: Record<string, boolean> = {};
    await Promise.all(
      Object.entries(deps.checks).map(async ([name, check]) => {
        results[name] = await check().catch(() => false);
      }),
    );
    const ready = !deps.isShuttingDown() && Object.values(results).every(Boolean);
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', shuttingDown: deps.isShuttingDown(), checks: results });
  }));

  server.get('/metrics', route(deps.logger, 'metrics', async (_req, res) => {
    const body = await deps.metrics.registry.metrics();
    res.writeHead(200, { 'Content-Type': deps.metrics.registry.contentType });
    res.end(body);
  }));

  return server;
}
