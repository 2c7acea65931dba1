/**
 * The restify server and the operations endpoints: /healthz (the process is
 * alive), /readyz (Redis reads and writes, content loaded: send traffic here),
 * /metrics (Prometheus).
 */
import restify, { type Server } from 'restify';
import type { Logger } from './log';
import type { BotMetrics } from './metrics';
import { sendJson } from './http/respond';
import { route } from './http/route';
import { answerFrameworkErrorsAsJson } from './http/framework-errors';
import { limitConnections, type ConnectionLimits } from './http/connection-limits';

/**
 * /readyz promises an answer within 2 s of a fault: a check that has not
 * answered by then counts as failed (checks have shorter timeouts of their own;
 * this is the backstop for one that hangs).
 */
const CHECK_TIMEOUT_MS = 1500;

function withinTime(check: () => Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  return Promise.race([check().catch(() => false), late]).finally(() => clearTimeout(timer));
}

export interface OpsDeps {
  logger: Logger;
  metrics: BotMetrics;
  checks: Record<string, () => Promise<boolean>>;
  isShuttingDown: () => boolean;
  /** Facts /readyz reports without failing readiness (e.g. the holiday calendar's coverage). */
  details?: () => Record<string, unknown>;
  /** Bounds on raw connections (timeouts, totals, per address). */
  connections?: ConnectionLimits;
}

export function createServer(deps: OpsDeps): Server {
  const server = restify.createServer({ name: 'complaint-front-door', handleUncaughtExceptions: false });
  if (deps.connections) limitConnections(server.server, deps.connections, deps.logger);
  server.pre(restify.plugins.pre.dedupeSlashes());
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // Unknown routes, wrong methods and malformed HTTP get the same JSON error shape as our own answers.
  answerFrameworkErrorsAsJson(server, deps.logger);

  server.get('/healthz', route(deps.logger, 'healthz', async (_req, res) => {
    sendJson(res, 200, { status: 'ok' });
  }));

  server.get('/readyz', route(deps.logger, 'readyz', async (_req, res) => {
    const results: Record<string, boolean> = {};
    await Promise.all(
      Object.entries(deps.checks).map(async ([name, check]) => {
        results[name] = await withinTime(check);
      }),
    );
    const ready = !deps.isShuttingDown() && Object.values(results).every(Boolean);
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', shuttingDown: deps.isShuttingDown(), checks: results, details: deps.details?.() });
  }));

  server.get('/metrics', route(deps.logger, 'metrics', async (_req, res) => {
    const body = await deps.metrics.registry.metrics();
    res.writeHead(200, { 'Content-Type': deps.metrics.registry.contentType });
    res.end(body);
  }));

  return server;
}
