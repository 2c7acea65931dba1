/**
 * The one place that reads `process.env`. Everything else receives a typed
 * `Config`. Parsing reports every problem at once so an operator fixes a bad
 * deployment in one go instead of one variable per restart.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';

/** Settings that go together: all or none, and a partial set names what is missing. */
const WECOM_SETS: Array<{ own: Array<'WECOM_KF_SECRET' | 'WECOM_KF_TOKEN' | 'WECOM_KF_AES_KEY' | 'WECOM_AGENT_ID' | 'WECOM_AGENT_SECRET'>; message: string }> = [
  { own: ['WECOM_KF_SECRET', 'WECOM_KF_TOKEN', 'WECOM_KF_AES_KEY'], message: 'the WeCom customer-service channel needs WECOM_CORP_ID, WECOM_KF_SECRET, WECOM_KF_TOKEN and WECOM_KF_AES_KEY' },
  { own: ['WECOM_AGENT_ID', 'WECOM_AGENT_SECRET'], message: 'WeCom staff alerts need WECOM_CORP_ID, WECOM_AGENT_ID and WECOM_AGENT_SECRET' },
];

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** One source in CSP frame-ancestors that we accept from configuration (no scheme-only or path sources). */
const FRAME_SOURCE = /^(?:'self'|https?:\/\/(?:\*\.)?[A-Za-z0-9.-]+(?::\d{1,5})?)$/;

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: z.string().default('127.0.0.1'),
    PUBLIC_URL: optionalString.pipe(z.url().optional()),
    REDIS_URL: optionalString.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]*$/, 'letters, digits, ":", "_" and "-" only')
      .default('cfd:'),
    // Redis faults (README "Running Redis for this"): fail within about a second, never hang.
    REDIS_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
    REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
    REDIS_HEALTH_TIMEOUT_MS: z.coerce.number().int().min(50).max(1500).default(500),
    REDIS_ALLOW_NO_PERSISTENCE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    // Sentinel: "host:port,host:port"; REDIS_URL then gives only credentials, database and TLS.
    REDIS_SENTINELS: optionalString.pipe(
      z.string().regex(/^[A-Za-z0-9.:[\]-]+:\d{1,5}(\s*,\s*[A-Za-z0-9.:[\]-]+:\d{1,5})*$/, 'host:port[,host:port…]').optional(),
    ),
    REDIS_SENTINEL_NAME: z.string().regex(/^[A-Za-z0-9._-]+$/).default('mymaster'),
    REDIS_SENTINEL_PASSWORD: optionalString,
    DIRECT_LINE_SECRET: optionalString.pipe(z.string().min(32, 'at least 32 characters').optional()),
    DIRECT_LINE_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86400).default(1800),
    DIRECT_LINE_HISTORY_TTL_SECONDS: z.coerce.number().int().min(60).default(7 * 86400),
    WEBCHAT_TOKENS_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    // The web inbox re-drives accepted messages whose turn did not finish (an instance died).
    INBOX_SWEEP_SECONDS: z.coerce.number().int().min(1).max(59).default(5),
    INBOX_REDRIVE_AFTER_MS: z.coerce.number().int().min(0).default(10_000),
    INBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
    // Hardening of the web channel (README "Security of the web channel").
    // Proxies in front of the bot that append to X-Forwarded-For (0: use the TCP peer address, ignore the header).
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    // Raw connection bounds (bot/http/connection-limits.ts): one address must not use up the file descriptors.
    HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1000).default(10_000),
    HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
    MAX_CONNECTIONS: z.coerce.number().int().min(10).default(10_000),
    MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(0).default(256),
    DIRECT_LINE_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    DIRECT_LINE_STREAM_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(125).max(1_048_576).default(4096),
    DIRECT_LINE_STREAMS_PER_CONVERSATION: z.coerce.number().int().min(1).max(100).default(4),
    DIRECT_LINE_STREAMS_PER_ADDRESS: z.coerce.number().int().min(1).default(50),
    WEBCHAT_FRAME_ANCESTORS: z
      .string()
      .default("'self'")
      // self and none are accepted without their quotes (a .env parser may have eaten them).
      .transform((v) => v.trim().split(/\s+/).filter(Boolean).map((s) => (s === 'self' || s === 'none' ? `'${s}'` : s)).join(' '))
      .refine(
        (v) => v === "'none'" || (v !== '' && v.split(' ').every((s) => FRAME_SOURCE.test(s))),
        "'none', or a space-separated list of 'self' and https://host[:port] (a leading *. allowed)",
      ),
    MICROSOFT_APP_ID: optionalString,
    MICROSOFT_APP_PASSWORD: optionalString,
    MICROSOFT_APP_TENANT_ID: optionalString,
    MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    LOG_LEVEL: z.enum(logLevels).default('info'),
    LOG_HASH_KEY: optionalString,
    // How long the shape of a number a message ended with is remembered, to catch a card typed over two messages.
    PII_SPLIT_WINDOW_SECONDS: z.coerce.number().int().min(10).max(3600).default(120),
    /** Minutes one live chat takes a member of staff: the wait a customer is told is the queue ahead × this ÷ staff online. */
    HANDOFF_MINUTES_PER_CHAT: z.coerce.number().min(0.5).max(120).default(5),
    /** office: live chats inside office hours on working days (the call-back hours); always: the desk is staffed around the clock. */
    HANDOFF_HOURS: z.enum(['office', 'always']).default('office'),
    /** A waiting customer who keeps writing is told "passed on" at most this often. */
    HANDOFF_NOTED_EVERY_SECONDS: z.coerce.number().int().min(0).max(3600).default(120),
    MAX_ACTIVITY_BYTES: z.coerce.number().int().min(1024).max(1_048_576).default(32 * 1024),
    MAX_TEXT_CHARS: z.coerce.number().int().min(100).default(5000),
    TURN_LOCK_TTL_MS: z.coerce.number().int().min(1000).default(30_000),
    STATE_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    DEDUPE_TTL_SECONDS: z.coerce.number().int().min(60).default(24 * 3600),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
    CONTENT_DIR: optionalString,
    // WeChat Official Account: the channel is on when app id, secret and token are set.
    WECHAT_OA_APP_ID: optionalString,
    WECHAT_OA_APP_SECRET: optionalString,
    WECHAT_OA_TOKEN: optionalString.pipe(z.string().regex(/^[A-Za-z0-9]{3,32}$/, '3–32 letters or digits (WeChat rule)').optional()),
    WECHAT_OA_AES_KEY: optionalString.pipe(z.string().regex(/^[A-Za-z0-9]{43}$/, '43 letters or digits (EncodingAESKey)').optional()),
    WECHAT_API_BASE_URL: z.url().default('https://api.weixin.qq.com'),
    WECHAT_PASSIVE_BUDGET_MS: z.coerce.number().int().min(500).max(4800).default(4000),
    WECHAT_TIMESTAMP_WINDOW_SECONDS: z.coerce.number().int().min(30).default(300),
    // WeCom customer service (微信客服): on when corp id, kf secret, callback token and key are all set.
    WECOM_CORP_ID: optionalString,
    WECOM_KF_SECRET: optionalString,
    WECOM_KF_TOKEN: optionalString.pipe(z.string().regex(/^[A-Za-z0-9]{3,32}$/, '3–32 letters or digits (WeCom rule)').optional()),
    WECOM_KF_AES_KEY: optionalString.pipe(z.string().regex(/^[A-Za-z0-9]{43}$/, '43 letters or digits (EncodingAESKey)').optional()),
    // The internal application that sends staff alerts: on when both are set.
    WECOM_AGENT_ID: optionalString.pipe(z.string().regex(/^\d{1,12}$/, 'the application\'s numeric AgentId').optional()),
    WECOM_AGENT_SECRET: optionalString,
    WECOM_API_BASE_URL: z.url().default('https://qyapi.weixin.qq.com'),
    /** How long one WeCom API call may take before it counts as failed (and is retried like "system busy"). */
    WECOM_API_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    /** desk: people answer in our desk, replies go out through kf/send_msg; wecom: the session moves to WeCom's own servicers. */
    WECOM_KF_HANDOFF: z.enum(['desk', 'wecom']).default('desk'),
    /** With WECOM_KF_HANDOFF=wecom: the servicer (WeCom userid) a handoff goes to; empty: the waiting pool. */
    WECOM_KF_SERVICER: optionalString,
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production') {
      if (!env.REDIS_URL) {
        ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'required when NODE_ENV=production (the in-memory store loses everything on restart)' });
      }
      if (!env.DIRECT_LINE_SECRET) {
        ctx.addIssue({ code: 'custom', path: ['DIRECT_LINE_SECRET'], message: 'required when NODE_ENV=production' });
      }
      if (!env.PUBLIC_URL) {
        ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'required when NODE_ENV=production (the stream URL is never built from the Host header)' });
      }
      if (!env.LOG_HASH_KEY) {
        ctx.addIssue({ code: 'custom', path: ['LOG_HASH_KEY'], message: 'required when NODE_ENV=production (keys the hash of customer ids in logs)' });
      }
    }
    // The stream URL and the page's connect-src are built from PUBLIC_URL: an http(s) origin, nothing after the host.
    if (env.PUBLIC_URL && !/^https?:\/\/[^/?#\s]+\/?$/.test(env.PUBLIC_URL)) {
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'an http(s) origin such as https://chat.example-bank.cn (no path)' });
    }
    if (env.REDIS_SENTINELS && !env.REDIS_URL) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINELS'], message: 'needs REDIS_URL (its credentials, database and TLS are used for the primary)' });
    }
    const wechat = [env.WECHAT_OA_APP_ID, env.WECHAT_OA_APP_SECRET, env.WECHAT_OA_TOKEN];
    if (wechat.some(Boolean) && !wechat.every(Boolean)) {
      ctx.addIssue({ code: 'custom', path: ['WECHAT_OA_APP_ID'], message: 'WECHAT_OA_APP_ID, WECHAT_OA_APP_SECRET and WECHAT_OA_TOKEN go together' });
    }
    // The corp id is shared: a set is "started" by any of its own settings, and then needs the corp id too.
    for (const { own, message } of WECOM_SETS) {
      if (!own.some((n) => env[n])) continue;
      const missing = ['WECOM_CORP_ID' as const, ...own].filter((n) => !env[n]);
      if (missing.length > 0) ctx.addIssue({ code: 'custom', path: [missing[0]!], message: `${message}: missing ${missing.join(', ')}` });
    }
    if (env.WECHAT_OA_AES_KEY && !env.WECHAT_OA_APP_ID) {
      ctx.addIssue({ code: 'custom', path: ['WECHAT_OA_AES_KEY'], message: 'needs WECHAT_OA_APP_ID' });
    }
    if (Boolean(env.MICROSOFT_APP_ID) !== Boolean(env.MICROSOFT_APP_PASSWORD) && env.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
      ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_PASSWORD'], message: 'MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD go together' });
    }
  });

export type Config = z.infer<typeof configSchema>;

/** True when the WeCom customer-service channel is configured. */
export function wecomKfEnabled(config: Config): boolean {
  return Boolean(config.WECOM_CORP_ID && config.WECOM_KF_SECRET && config.WECOM_KF_TOKEN && config.WECOM_KF_AES_KEY);
}

/** True when staff alerts go out through the WeCom internal application. */
export function wecomAlertsEnabled(config: Config): boolean {
  return Boolean(config.WECOM_CORP_ID && config.WECOM_AGENT_ID && config.WECOM_AGENT_SECRET);
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Loads `.env` from the working directory into the environment, if there is one (Node's own parser). */
export function loadDotEnv(file = '.env'): boolean {
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}

/** Parses an environment (defaults to `process.env`); throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  return result.data;
}

/** True when the WeChat Official Account channel is configured. */
export function wechatOaEnabled(config: Config): boolean {
  return Boolean(config.WECHAT_OA_APP_ID && config.WECHAT_OA_APP_SECRET && config.WECHAT_OA_TOKEN);
}

/** True when the Bot Framework Emulator endpoint may be served. */
export function emulatorEnabled(config: Config): boolean {
  return config.NODE_ENV === 'development' || Boolean(config.MICROSOFT_APP_ID);
}
