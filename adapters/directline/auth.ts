/**
 * Who is calling a Direct Line endpoint: the site holding the secret (may do
 * anything) or a browser holding a token (may touch only its own conversation).
 */
import type { IncomingMessage } from 'node:http';
import { AppError } from '../../bot/errors';
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
