/**
 * Who is calling a Direct Line endpoint: the site holding the secret (may do
 * anything) or a browser holding a token (may touch only its own conversation).
 * Wrong credentials are throttled per client address (auth-throttle.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../../bot/errors';
import { sendJson } from '../../bot/http/respond';
import type { CredentialThrottle } from './auth-throttle';
import type { DirectLineTokens, TokenClaims } from './tokens';

export type Caller = { kind: 'secret' } | { kind: 'token'; token: string; claims: TokenClaims };

export function bearerOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  return match?.[1];
}

export function authenticate(tokens: DirectLineTokens, credential: string | undefined): Caller {
  if (!credential) throw new AppError('UNAUTHORIZED', 'Missing Authorization: Bearer <secret or token>', 401);
  if (tokens.isSecret(credential)) return { kind: 'secret' };
  return { kind: 'token', token: credential, claims: tokens.verify(credential) };
}

/** Throws unless the caller may act on `conversationId`. */
export function authoriseConversation(caller: Caller, conversationId: string): void {
  if (caller.kind === 'token' && caller.claims.conversationId !== conversationId) {
    throw new AppError('FORBIDDEN', 'Token is not valid for this conversation', 403);
  }
}

/** A refusal that has already cost the address its allowance: answered 429 with Retry-After. */
export class CredentialsThrottledError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', 'Too many wrong credentials from this address; try again later', 429);
  }
}

export interface DirectLineAuthDeps {
  tokens: DirectLineTokens;
  throttle: CredentialThrottle;
  /** The client's address for per-address limits (bot/http/client-address.ts). */
  addressOf: (req: IncomingMessage) => string;
}

/**
 * Authentication with throttling, decided once per request: the REST routes
 * run `guard` before any handler (it awaits the throttle, then remembers the
 * outcome), and their handlers read it synchronously with `callerOf`; the
 * stream upgrade calls `authenticateRequest` directly.
 */
export class DirectLineAuth {
  private readonly decided = new WeakMap<IncomingMessage, Caller | AppError>();

  constructor(private readonly deps: DirectLineAuthDeps) {}

  /** Throws CredentialsThrottledError, or the AppError `authenticate` throws; counts wrong credentials. */
  async authenticateRequest(req: IncomingMessage, credential: string | undefined, where: string): Promise<Caller> {
    const address = this.deps.addressOf(req);
    let caller: Caller | undefined;
    let refusal: unknown;
    try {
      caller = authenticate(this.deps.tokens, credential);
    } catch (error) {
      refusal = error;
    }
    // A genuine token cannot be guessed, so it always passes: one person's wrong guesses must not cut off
    // every customer behind the same address (a carrier NAT) in the middle of their chat.
    if (caller?.kind === 'token') return caller;
    // Everything else waits out a block, the right secret included, so that a guess can never be confirmed.
    const wait = await this.deps.throttle.blocked(address);
    if (wait !== undefined) throw new CredentialsThrottledError(wait);
    if (caller) return caller;
    try {
      throw refusal;
    } catch (error) {
      // Only a credential that is neither the secret nor a genuine token is a guess; a missing or expired one is not.
      if (error instanceof AppError && error.code === 'FORBIDDEN' && credential) {
        const over = await this.deps.throttle.failed(address, error.code, where);
        if (over !== undefined) throw new CredentialsThrottledError(over);
      }
      throw error;
    }
  }

  /** restify middleware for the routes under `base`: authenticates, answers 429 itself, leaves other outcomes to the handler. */
  guard(base: string) {
    return (req: IncomingMessage & { path(): string }, res: ServerResponse, next: (stop?: false) => void): void => {
      if (!req.path().startsWith(`${base}/`)) return next();
      this.authenticateRequest(req, bearerOf(req), 'rest').then(
        (caller) => {
          this.decided.set(req, caller);
          next();
        },
        (error: unknown) => {
          if (error instanceof CredentialsThrottledError) {
            sendThrottled(res, error);
            return next(false);
          }
          this.decided.set(req, error instanceof AppError ? error : new AppError('UNAUTHORIZED', 'Not authenticated', 401));
          next();
        },
      );
    };
  }

  /** The caller `guard` decided for this request (throws its refusal); unguarded requests are authenticated here, unthrottled. */
  callerOf(req: IncomingMessage): Caller {
    const outcome = this.decided.get(req) ?? authenticate(this.deps.tokens, bearerOf(req));
    if (outcome instanceof AppError) throw outcome;
    return outcome;
  }
}

export function sendThrottled(res: ServerResponse, error: CredentialsThrottledError): void {
  sendJson(res, 429, { error: { code: error.code, message: error.message } }, { 'Retry-After': String(error.retryAfterSeconds) });
}
