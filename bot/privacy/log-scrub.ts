/**
 * Turns anything handed to the logger into something safe to write: customer
 * ids become a keyed hash, free text is masked (phone, card, ID numbers,
 * secrets, e-mail, and WeChat/WeCom ids where they appear in text), errors
 * become plain objects whose message, stack and own properties are masked the
 * same way, and a Redis command's arguments (which carry keys and values,
 * phone numbers included) are dropped. Used by bot/log.ts for log objects,
 * child bindings, error serializers and the message string alike.
 */
import { createHmac } from 'node:crypto';
import { maskText } from './mask';

/** Fields whose value identifies a customer (WeChat openid, WeCom external_userid, Direct Line user id). */
const CUSTOMER_ID_FIELDS = new Set([
  'userId', 'customerId', 'openId', 'openid', 'unionId', 'unionid', 'externalUserId', 'external_userid', 'fromId',
  'FromUserName', 'conversationId', 'conversationKey', 'recipientId',
]);
/** Objects (botbuilder's ChannelAccount, ConversationAccount) whose `id` and `name` identify a customer. */
const ACCOUNT_FIELDS = new Set(['from', 'recipient', 'conversation', 'user', 'customer', 'member']);
/** A WeChat openid/unionid (28 characters from "o") or a WeCom external_userid ("wm"/"wo" and 30 more), inside text. */
const PLATFORM_ID = /(?<![A-Za-z0-9_-])(?:o[A-Za-z0-9_-]{27}|w[mo][A-Za-z0-9_-]{30})(?![A-Za-z0-9_-])/g;
const HASHED = /^h:[\w-]{16}$/;
const MAX_DEPTH = 8;
const MAX_STRING = 10_000;

export interface LogScrubber {
  hashId(id: string): string;
  /** Free text: masked, platform ids hashed, over-long text cut. */
  text(value: string): string;
  /** Any value: objects copied with every string inside made safe. */
  value(value: unknown, field?: string): unknown;
  /** An Error (or anything thrown) as a plain, safe object. */
  error(value: unknown): unknown;
}

export function createLogScrubber(hashKey: string): LogScrubber {
  const hashId = (id: string) => `h:${createHmac('sha256', hashKey).update(id).digest('base64url').slice(0, 16)}`;
  const text = (value: string) => maskText(value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value).replace(PLATFORM_ID, hashId);

  const clean = (value: unknown, field: string | undefined, depth: number, seen: WeakSet<object>, inAccount = false): unknown => {
    if (typeof value === 'string') {
      const isId = (field !== undefined && CUSTOMER_ID_FIELDS.has(field)) || (inAccount && (field === 'id' || field === 'name'));
      // Already hashed (the error serializer sees what the log formatter produced): hashing twice would break correlation.
      if (isId) return HASHED.test(value) ? value : hashId(value);
      return text(value);
    }
    if (value === null || typeof value !== 'object') return value;
    // Beyond this depth nothing is written rather than something unmasked.
    if (depth > MAX_DEPTH) return '[too deep]';
    if (seen.has(value)) return '[circular]';
    seen.add(value);
    try {
      if (value instanceof Error) return cleanError(value, depth, seen);
      if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
      if (field === 'command' && Array.isArray((value as { args?: unknown }).args)) return cleanCommand(value as { name?: unknown; args: unknown[] });
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        return clean((value as { toJSON(): unknown }).toJSON(), field, depth + 1, seen, inAccount);
      }
      if (Array.isArray(value)) return value.map((v) => clean(v, undefined, depth + 1, seen));
      if (value instanceof Map) return clean(Object.fromEntries(value), field, depth + 1, seen, inAccount);
      if (value instanceof Set) return clean([...value], field, depth + 1, seen);
      const out: Record<string, unknown> = {};
      const account = field !== undefined && ACCOUNT_FIELDS.has(field);
      for (const [k, v] of Object.entries(value)) out[k] = clean(v, k, depth + 1, seen, account);
      return out;
    } finally {
      seen.delete(value);
    }
  };

  const cleanError = (error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> => {
    const out: Record<string, unknown> = {
      type: error.constructor?.name ?? 'Error',
      message: text(String(error.message)),
      stack: typeof error.stack === 'string' ? text(error.stack) : undefined,
    };
    for (const [k, v] of Object.entries(error)) {
      if (k !== 'message' && k !== 'stack') out[k] = clean(v, k, depth + 1, seen);
    }
    // `cause` and AggregateError's `errors` are own but not enumerable.
    if (error.cause !== undefined) out.cause = clean(error.cause, 'cause', depth + 1, seen);
    if (error instanceof AggregateError) out.errors = clean(error.errors, 'errors', depth + 1, seen);
    return out;
  };

  // ioredis attaches the failed command to its errors: the name helps, the arguments are customer data.
  const cleanCommand = (command: { name?: unknown; args: unknown[] }) => ({
    name: typeof command.name === 'string' ? text(command.name) : undefined,
    args: `[${command.args.length} arguments hidden]`,
  });

  return {
    hashId,
    text,
    value: (value, field) => clean(value, field, 0, new WeakSet()),
    error: (value) => clean(value, 'err', 0, new WeakSet()),
  };
}
