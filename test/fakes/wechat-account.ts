/**
 * The WeChat Official Account the integration tests configure, and what they
 * need around it: its environment for the app, a realistic openid, a content
 * folder with a template configured, and a clock the test can move.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_CONTENT_DIR } from '../../bot/content/loader';
import { daytimeClock } from '../support/harness';
import type { FakeWeChatServer } from './wechat-server';

export const APP_ID = 'wx1234567890abcdef';
export const SECRET = 'test-app-secret';
export const TOKEN = 'cfdtoken2026';
export const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
export const TEMPLATE_ID = 'TPL_STATUS_001';

/** The app's WECHAT_* settings in safe mode, its API calls going to `fake`. */
export function wechatEnv(fake: FakeWeChatServer, extra: Record<string, string> = {}): Record<string, string> {
  return { WECHAT_OA_APP_ID: APP_ID, WECHAT_OA_APP_SECRET: SECRET, WECHAT_OA_TOKEN: TOKEN, WECHAT_OA_AES_KEY: AES_KEY, WECHAT_API_BASE_URL: fake.url, ...extra };
}

/** An openid shaped like WeChat's: 28 characters from "o" (letters, digits, "-" and "_"). */
export function realisticOpenId(): string {
  return `o${randomBytes(21).toString('base64url').slice(0, 27)}`;
}

/** A copy of the content folder in which the bank has configured the status template. */
export function contentWithTemplate(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'content-'));
  cpSync(DEFAULT_CONTENT_DIR, dir, { recursive: true });
  const file = path.join(dir, 'policy', 'wechat-templates.json');
  const json = JSON.parse(readFileSync(file, 'utf8'));
  json.templates.ticketStatus.templateId = TEMPLATE_ID;
  writeFileSync(file, JSON.stringify(json));
  return dir;
}

export interface MovableClock {
  now: () => Date;
  /** Moves the app's time forward (hours pass in an instant). */
  advance(ms: number): void;
  reset(): void;
}

/** The harness's daytime clock, which the test can move forward. */
export function movableClock(): MovableClock {
  const base = daytimeClock();
  let offsetMs = 0;
  return {
    now: () => new Date(base().getTime() + offsetMs),
    advance: (ms) => (offsetMs += ms),
    reset: () => (offsetMs = 0),
  };
}
