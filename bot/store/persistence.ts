/**
 * Does the Redis keep what it is given? Complaints, their numbers and their
 * audit trail live only in Redis, so a Redis that forgets on restart loses
 * complaints and would give a customer's ticket number to someone else.
 *
 * Asked with CONFIG GET (appendonly, save); where the provider disables CONFIG,
 * INFO persistence (aof_enabled; RDB counts only when snapshots have actually
 * been taken, since INFO does not show save points). Either way the last AOF
 * write and RDB snapshot must have succeeded.
 */
import type { Redis } from 'ioredis';
import { AppError } from '../errors';
import type { Logger } from '../log';
import type { StateBackend } from './backend';
import { RedisBackend } from './redis-backend';
import { toStoreError } from './store-errors';

/** At start-up Redis may be coming up beside the bot: wait this long for it before giving up. */
const STARTUP_WAIT_MS = 10_000;

export interface PersistenceReport {
  persistent: boolean;
  aof: boolean;
  rdb: boolean;
  /** Where the answer came from. */
  source: 'config' | 'info';
  /** Persistence configured but failing. */
  problems: string[];
  /** One line for operators. */
  summary: string;
}

function infoFields(info: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of info.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return fields;
}

/** CONFIG GET's value, or undefined where CONFIG is disabled, renamed or not permitted. */
async function configValue(redis: Redis, name: string): Promise<string | undefined> {
  try {
    const reply = (await redis.call('CONFIG', 'GET', name)) as unknown;
    if (Array.isArray(reply) && reply.length >= 2) return String(reply[1]);
    if (reply && typeof reply === 'object' && name in reply) return String((reply as Record<string, unknown>)[name]);
    return undefined;
  } catch (error) {
    if (error instanceof Error && error.name === 'ReplyError') return undefined;
    throw error;
  }
}

export async function checkPersistence(redis: Redis): Promise<PersistenceReport> {
  const info = infoFields(String(await redis.info('persistence')));
  const appendonly = await configValue(redis, 'appendonly');
  const save = appendonly === undefined ? undefined : await configValue(redis, 'save');
  const source = appendonly === undefined ? 'info' : 'config';
  const aof = source === 'config' ? appendonly === 'yes' : info.get('aof_enabled') === '1';
  const rdb = source === 'config' ? (save ?? '').trim() !== '' : Number(info.get('rdb_saves') ?? 0) > 0;

  const problems: string[] = [];
  if (aof && info.get('aof_last_write_status') === 'err') problems.push('the last AOF write failed');
  if (aof && info.get('aof_last_bgrewrite_status') === 'err') problems.push('the last AOF rewrite failed');
  if (rdb && info.get('rdb_last_bgsave_status') === 'err') problems.push('the last RDB snapshot failed');

  const kept = [aof ? 'AOF' : '', rdb ? 'RDB snapshots' : ''].filter(Boolean).join(' and ');
  const persistent = (aof || rdb) && problems.length === 0;
  const summary = persistent
    ? `Redis persists with ${kept}${aof ? '' : ' only (what was written since the last snapshot is lost on a crash; AOF every second is recommended)'}`
    : problems.length > 0
      ? `Redis persistence is failing: ${problems.join('; ')}`
      : source === 'config'
        ? 'Redis does not persist its data (appendonly is no and there are no save points)'
        : 'Redis does not persist its data, as far as INFO shows (CONFIG is disabled: AOF is off and no RDB snapshot has been taken)';
  return { persistent, aof, rdb, source, problems, summary };
}

export interface PersistencePolicy {
  /** NODE_ENV=production: refuse a Redis that does not persist. */
  production: boolean;
  /** REDIS_ALLOW_NO_PERSISTENCE=true: start anyway (a deliberate choice, logged). */
  allowNoPersistence: boolean;
}

/**
 * Start-up check: in production a Redis that does not persist stops the start
 * (STORE_NOT_PERSISTENT) unless explicitly allowed; elsewhere it is a warning.
 * An unreachable Redis is STORE_UNAVAILABLE.
 */
export async function verifyPersistence(backend: StateBackend, policy: PersistencePolicy, logger: Logger): Promise<void> {
  if (!(backend instanceof RedisBackend)) return; // the in-memory store: config.ts already refuses it in production
  let report: PersistenceReport;
  try {
    await backend.connected(STARTUP_WAIT_MS);
    report = await checkPersistence(backend.redis);
  } catch (error) {
    throw toStoreError(error);
  }
  const facts = { aof: report.aof, rdb: report.rdb, source: report.source, problems: report.problems };
  if (report.persistent) {
    logger.info(facts, report.summary);
    return;
  }
  if (!policy.production) {
    logger.warn(facts, `${report.summary}: complaints would be lost on a Redis restart (refused when NODE_ENV=production)`);
    return;
  }
  if (policy.allowNoPersistence) {
    logger.warn(facts, `${report.summary}: starting anyway because REDIS_ALLOW_NO_PERSISTENCE=true`);
    return;
  }
  throw new AppError(
    'STORE_NOT_PERSISTENT',
    `${report.summary}. A restart would lose every complaint and could give a ticket number to a second customer.\n` +
      '  Turn on AOF (appendonly yes, appendfsync everysec) as the README\'s "Running Redis for this" describes,\n' +
      '  or set REDIS_ALLOW_NO_PERSISTENCE=true to start anyway.',
    500,
  );
}
