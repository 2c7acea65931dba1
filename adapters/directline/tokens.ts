/**
 * Direct Line tokens: signed (HS256), expiring, bound to one conversation (and
 * to one user when the site says who the user is), as the cloud Direct Line
 * issues them. The signing key is derived from DIRECT_LINE_SECRET, so the
 * secret itself never signs anything a browser holds.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError } from '../../bot/errors';

export interface TokenClaims {
  conversationId: string;
  userId?: string;
}

const ISSUER = 'complaint-front-door/directline';

export class DirectLineTokens {
  private readonly signingKey: Buffer;

  constructor(
    private readonly secret: string,
    readonly ttlSeconds: number,
  ) {
    this.signingKey = createHmac('sha256', secret).update('directline-token-signing-v1').digest();
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
    const a = createHmac('sha256', 'cmp').update(candidate).digest();
    const b = createHmac('sha256', 'cmp').update(this.secret).digest();
    return timingSafeEqual(a, b);
  }
}
