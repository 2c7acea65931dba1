/**
 * Direct Line tokens: signed (HS256), expiring, bound to one conversation (and
 * to one user when the site says who the user is), as the cloud Direct Line
 * issues them. The signing key is derived from DIRECT_LINE_SECRET, so the
 * secret itself never signs anything a browser holds.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError } from '../../bot/errors';

export interface TokenClaims {
  conversationId: string;
  userId?: string;
}

const ISSUER = 'complaint-front-door/directline';

export class DirectLineTokens {
  // A KeyObject made once: handing jsonwebtoken raw bytes makes it build one per call (a fifth of a turn's CPU).
  private readonly signingKey: KeyObject;
  private readonly secretDigest: Buffer;

  constructor(
    secret: string,
    readonly ttlSeconds: number,
  ) {
    this.signingKey = createSecretKey(createHmac('sha256', secret).update('directline-token-signing-v1').digest());
    this.secretDigest = createHmac('sha256', 'cmp').update(secret).digest();
  }

  issue(claims: TokenClaims): string {
    return jwt.sign({ conv: claims.conversationId, ...(claims.userId ? { user: claims.userId } : {}) }, this.signingKey, {
      algorithm: 'HS256',
      expiresIn: this.ttlSeconds,
      issuer: ISSUER,
    });
  }

  /** Throws AppError UNAUTHORIZED (forged, malformed) or TOKEN_EXPIRED. */
  verify(token: string): TokenClaims {
    try {
      const payload = jwt.verify(token, this.signingKey, { algorithms: ['HS256'], issuer: ISSUER }) as jwt.JwtPayload;
      if (typeof payload.conv !== 'string') throw new Error('no conversation');
      return { conversationId: payload.conv, userId: typeof payload.user === 'string' ? payload.user : undefined };
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw new AppError('TOKEN_EXPIRED', 'Token expired', 403);
      throw new AppError('FORBIDDEN', 'Token not valid', 403);
    }
  }

  /** Constant-time comparison with the Direct Line secret. */
  isSecret(candidate: string): boolean {
    // Digests have equal length, so the comparison takes the same time whatever the candidate.
    return timingSafeEqual(createHmac('sha256', 'cmp').update(candidate).digest(), this.secretDigest);
  }
}
