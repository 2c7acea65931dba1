/**
 * The desk's HTTP plumbing: its error answers (codes the desk page turns into
 * words), who is asking (the session cookie), and the checks every change
 * passes — same origin, and the session's CSRF token in `X-CSRF-Token`,
 * compared in constant time.
 */
import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'restify';
import type { z } from 'zod';
import { readJson } from '../http/body';
import { sendError, sendJson } from '../http/respond';
import type { Logger } from '../log';
import { csrfMatches, tokenFromCookies, type DeskSession, type DeskSessions } from './sessions';

export type DeskCode =
  | 'LOGIN_FAILED' | 'RATE_LIMITED' | 'UNAUTHORIZED' | 'SESSION_EXPIRED' | 'CSRF_INVALID' | 'FORBIDDEN' | 'BAD_REQUEST'
  | 'NOT_FOUND' | 'CHAT_TAKEN' | 'CHAT_ENDED' | 'CHAT_NOT_FOUND' | 'NOT_YOUR_CHAT' | 'COLLEAGUE_UNAVAILABLE' | 'FORBIDDEN_PHRASE' | 'DELIVERY_FAILED'
  | 'COMPLAINT_NOT_FOUND' | 'STALE_VERSION' | 'MOVE_REFUSED' | 'CALLBACK_TAKEN' | 'CALLBACK_DONE' | 'NOT_YOURS' | 'ALREADY_DECIDED' | 'TEAM_CONFLICT';

/** A refusal the desk explains: `code` names the sentence (desk.json `error.<code>`), `extra` carries what it needs. */
export class DeskError extends Error {
  constructor(
    readonly code: DeskCode,
    message: string,
    readonly status: number,
    readonly extra: Record<string, unknown> = {},
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export type DeskHandler = (req: Request, res: Response) => Promise<void>;

export function deskRoute(logger: Logger, name: string, handler: DeskHandler) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      await handler(req, res);
    } catch (error) {
      if (!(error instanceof DeskError)) return sendError(res, error, logger, name);
      logger.info({ code: error.code, route: name, status: error.status }, 'desk request refused');
      if (res.headersSent) return;
      const headers: Record<string, string> = error.retryAfterSeconds ? { 'Retry-After': String(error.retryAfterSeconds) } : {};
      sendJson(res, error.status, { error: { code: error.code, message: error.message, ...error.extra } }, headers);
    }
  };
}

export interface Gate {
  sessions: DeskSessions;
  /** Cookies are Secure (and __Host-) when the public address is https. */
  secure: boolean;
  /** PUBLIC_URL: the only origin changes may come from; without it (development) the request's own Host. */
  publicUrl?: string;
}

/**
 * Changes must come from the desk's own pages. SameSite=Strict already keeps
 * the cookie off cross-site requests; this refuses them outright too (a
 * browser says where a request comes from in Sec-Fetch-Site and Origin).
 */
export function sameOrigin(req: IncomingMessage, publicUrl: string | undefined): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const expected = publicUrl ? new URL(publicUrl).origin : `${req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http'}://${req.headers.host ?? ''}`;
  return origin === expected;
}

/**
 * The session of the staff member asking. `change`: the request alters
 * something, so it must also be same-origin and carry the CSRF token.
 * A request marked `X-Desk-Background: 1` (the page refreshing itself after a
 * live event) does not count as activity for the idle timeout.
 */
export async function authenticate(req: Request, gate: Gate, change: boolean): Promise<DeskSession> {
  const token = tokenFromCookies(req.headers.cookie, gate.secure);
  if (!token) throw new DeskError('UNAUTHORIZED', 'sign in first', 401);
  if (change && !sameOrigin(req, gate.publicUrl)) throw new DeskError('CSRF_INVALID', 'changes must come from the desk page', 403);
  const background = req.headers['x-desk-background'] === '1';
  const checked = await gate.sessions.check(token, !change && !background);
  if (!checked.ok) throw new DeskError('SESSION_EXPIRED', 'the session has expired: sign in again', 401);
  if (change) {
    const sent = req.headers['x-csrf-token'];
    if (!csrfMatches(typeof sent === 'string' ? sent : undefined, checked.session.csrf)) throw new DeskError('CSRF_INVALID', 'missing or wrong X-CSRF-Token', 403);
    // Only a change that passed every check counts as activity.
    await gate.sessions.touch(checked.session.tokenHash);
  }
  return checked.session;
}

/** The session behind the cookie without counting the request as activity (the page itself, the live stream); undefined when there is none. */
export async function passiveSession(req: Request, gate: Gate): Promise<DeskSession | undefined> {
  const token = tokenFromCookies(req.headers.cookie, gate.secure);
  if (!token) return undefined;
  const checked = await gate.sessions.check(token, false);
  return checked.ok ? checked.session : undefined;
}

/** Reads a small JSON body (changes only ever send a few fields) and validates it; JSON only, so a form post from elsewhere cannot pose as one. */
export async function bodyOf<T>(req: Request, schema: z.ZodType<T>, maxBytes = 16_384): Promise<T> {
  if (!/^application\/json\b/i.test(String(req.headers['content-type'] ?? ''))) throw new DeskError('BAD_REQUEST', 'send JSON (Content-Type: application/json)', 415);
  const parsed = schema.safeParse(await readJson(req, maxBytes));
  if (!parsed.success) throw new DeskError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '), 400);
  return parsed.data;
}
