/**
 * Structured logging with pino. Redaction is configured here, not at call
 * sites: secrets and tokens are removed by path, free text is masked for phone,
 * card and ID numbers, and customer ids are replaced by a keyed hash so logs
 * can be correlated without identifying anyone.
 */
import { createHmac, randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { maskText } from './privacy/mask';

export type { Logger };

const CUSTOMER_ID_FIELDS = new Set(['userId', 'customerId', 'openId', 'openid', 'externalUserId', 'fromId']);

const SECRET_PATHS = [
  'secret',
  'token',
  'password',
  'authorization',
  '*.secret',
  '*.token',
  '*.password',
  '*.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

export interface LoggerOptions {
  level: string;
  hashKey?: string;
  /** Where to write; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const key = options.hashKey ?? randomBytes(32).toString('hex');
  const hashId = (id: string) => `h:${createHmac('sha256', key).update(id).digest('base64url').slice(0, 16)}`;

  const clean = (value: unknown, field: string | undefined, depth: number): unknown => {
    if (typeof value === 'string') {
      return field && CUSTOMER_ID_FIELDS.has(field) ? hashId(value) : maskText(value);
    }
    if (depth > 6 || value === null || typeof value !== 'object') return value;
    if (value instanceof Error) return value;
    if (Array.isArray(value)) return value.map((v) => clean(v, undefined, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = clean(v, k, depth + 1);
    return out;
  };

  return pino(
    {
      level: options.level,
      base: undefined,
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
      formatters: {
        log: (object) => clean(object, undefined, 0) as Record<string, unknown>,
      },
      hooks: {
        // Masks the message string too: `log.info('text %s', userText)` must not leak.
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskText(a) : a)) as typeof args;
          return method.apply(this, masked);
        },
      },
    },
    options.destination,
  );
}
