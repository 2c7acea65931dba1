/**
 * Security headers of the HTML pages we serve. Each response gets a fresh
 * nonce: the page's one inline script and style carry it, and Web Chat is
 * given it for the styles it injects, so the policy needs no 'unsafe-inline'
 * for scripts. Which sites may frame the page is configuration
 * (WEBCHAT_FRAME_ANCESTORS).
 */
import { randomBytes } from 'node:crypto';

export interface PagePolicy {
  /** CSP frame-ancestors sources, e.g. "'self'" or "'self' https://www.example-bank.cn". */
  frameAncestors: string;
  /** Origins besides 'self' the page may connect to (the WebSocket origin of the stream). */
  connectSources: string[];
  /** The page is served over https (PUBLIC_URL is https): add Strict-Transport-Security. */
  https: boolean;
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function pageHeaders(policy: PagePolicy, nonce: string): Record<string, string> {
  const csp = [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    `connect-src ${['\'self\'', ...policy.connectSources].join(' ')}`,
    `frame-ancestors ${policy.frameAncestors}`,
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
  const headers: Record<string, string> = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    // The chat needs none of these; a framed or injected script gets none of them either.
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  // Older browsers know only X-Frame-Options, which can say "same origin" or "nobody" but not a list.
  if (policy.frameAncestors === "'self'") headers['X-Frame-Options'] = 'SAMEORIGIN';
  if (policy.frameAncestors === "'none'") headers['X-Frame-Options'] = 'DENY';
  if (policy.https) headers['Strict-Transport-Security'] = 'max-age=31536000; includeSubDomains';
  return headers;
}
