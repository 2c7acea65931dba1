/**
 * Structured logging with pino. Redaction is configured here, not at call
 * sites, and covers every way text reaches a log line (bot/privacy/log-scrub.ts
 * does the work):
 *  - the logged object, at any depth (`formatters.log`), with customer ids
 *    replaced by a keyed hash so lines can be correlated without identifying anyone;
 *  - errors, under any key or passed alone: message, stack, own properties,
 *    causes; a Redis command's arguments are dropped (`serializers` too);
 *  - child logger bindings and `setBindings` (pino writes them once, at child
 *    creation, past `formatters.log`: so `child` itself is wrapped, and options
 *    that would replace the formatters are refused);
 *  - the message string, after formatting (`%s`, `%j`, an Error's message).
 * Secrets and tokens are removed by path.
 */
import { randomBytes } from 'node:crypto';
import { format } from 'node:util';
import pino, { type Logger, type LoggerOptions as PinoOptions } from 'pino';
import { createLogScrubber, type LogScrubber } from './privacy/log-scrub';

export type { Logger };

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
  const scrub = createLogScrubber(options.hashKey ?? randomBytes(32).toString('hex'));
  const logger = pino(
    {
      level: options.level,
      base: undefined,
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
      serializers: { err: scrub.error, error: scrub.error },
      formatters: {
        log: (object) => scrub.value(object) as Record<string, unknown>,
        bindings: (bindings) => scrub.value(bindings) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const [obj, msg] = safeArguments(args, scrub);
          return obj === undefined ? method.call(this, msg as string) : method.call(this, obj, msg);
        },
      },
    },
    options.destination,
  );
  guardChildren(logger, scrub);
  return logger;
}

/**
 * Splits a log call into the object and one formatted, masked message. pino
 * would otherwise take the message from an Error (`log.error(err)`,
 * `log.error({ err })`) past every formatter, and join `%s` arguments after
 * the hook ran.
 */
function safeArguments(args: unknown[], scrub: LogScrubber): [object | undefined, string | undefined] {
  const [first, ...rest] = args;
  let obj: object | undefined;
  let parts = args;
  if (first instanceof Error) {
    obj = { err: first };
    parts = rest.length > 0 ? rest : [first.message];
  } else if (first !== null && typeof first === 'object') {
    obj = first;
    const err = (first as { err?: unknown; msg?: unknown }).err;
    parts = rest.length > 0 || (first as { msg?: unknown }).msg !== undefined || !(err instanceof Error) ? rest : [err.message];
  } else if (first === null || first === undefined) {
    parts = rest;
  }
  if (parts.length === 0) return [obj, undefined];
  const values = parts.map((p) => (p !== null && typeof p === 'object' ? scrub.value(p) : p));
  return [obj, scrub.text(format(...values))];
}

type ChildFn = (this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => Logger;
type SetBindingsFn = (this: Logger, bindings: pino.Bindings) => void;

/**
 * Child loggers inherit from the root's prototype chain, so wrapping `child`
 * and `setBindings` on the root covers children of children too.
 */
function guardChildren(root: Logger, scrub: LogScrubber): void {
  const child = root.child as unknown as ChildFn;
  const setBindings = root.setBindings as unknown as SetBindingsFn;
  const guarded = {
    child(this: Logger, bindings: pino.Bindings, childOptions?: pino.ChildLoggerOptions) {
      return child.call(this, scrub.value(bindings) as pino.Bindings, safeChildOptions(childOptions, scrub));
    },
    setBindings(this: Logger, bindings: pino.Bindings) {
      setBindings.call(this, scrub.value(bindings) as pino.Bindings);
    },
  };
  Object.assign(root, guarded);
}

function safeChildOptions(options: pino.ChildLoggerOptions | undefined, scrub: LogScrubber): pino.ChildLoggerOptions | undefined {
  if (!options) return undefined;
  // A child's own formatters would replace the masking one: refused. A message prefix is text like any other.
  const { formatters: _refused, ...rest } = options as pino.ChildLoggerOptions & Pick<PinoOptions, 'formatters'>;
  return rest.msgPrefix === undefined ? rest : { ...rest, msgPrefix: scrub.text(rest.msgPrefix) };
}
