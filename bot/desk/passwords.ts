/**
 * Staff passwords, hashed with node:crypto's scrypt (memory-hard, no extra
 * dependency). A stored hash names its own parameters, so the cost can rise
 * later without breaking existing passwords. Comparison is constant-time.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * OWASP's scrypt settings that trade memory for passes: N = 2^15, r = 8, p = 3
 * is as costly to guess as N = 2^17, p = 1, with 32 MB per check instead of 128 MB
 * (a login is a few hundred milliseconds of one libuv thread).
 */
const DEFAULT = { N: 32768, r: 8, p: 3 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  // maxmem must exceed 128 * N * r bytes, or scrypt refuses the parameters.
  const maxmem = 256 * (options.N ?? DEFAULT.N) * (options.r ?? DEFAULT.r);
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, DEFAULT);
  return ['scrypt', DEFAULT.N, DEFAULT.r, DEFAULT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * A hash of a random password, checked when the account does not exist, so a
 * wrong account name costs the same time as a wrong password (no way to learn
 * which accounts exist from the answer's timing).
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, username: string): string | undefined {
  if (password.length < 10) return 'at least 10 characters';
  if (password.length > 128) return 'at most 128 characters';
  if (!/\p{L}/u.test(password) || !/\p{N}/u.test(password)) return 'letters and digits both';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'must not contain the account name';
  return undefined;
}
