/**
 * Masks personal data in free text: ID card numbers, bank card numbers, phone
 * numbers and e-mail addresses. Used by the logger (so no call site can forget)
 * and by dialogs before anything a customer typed is stored or shown.
 */

// Order matters: an 18-character ID number would otherwise be read as a card number.
const ID_NUMBER = /(?<![0-9A-Za-z])([1-9]\d{5})(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;
// Card numbers never start with 0 (landlines such as 0755-88889999 do) and never follow a letter or dash (TS-20261123-0001).
const CARD_NUMBER = /(?<![\dA-Za-z-])[1-9](?:[ -]?\d){11,18}(?!\d)/g;
const MOBILE = /(?<!\d)(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)/g;
const LANDLINE = /(?<!\d)(0\d{2,3})[ -]?(\d{3,4})(\d{4})(?!\d)/g;
// The secret runs to the next space or punctuation: "密码是123456，电话…" keeps the phone.
const PASSWORD = /(密码|密碼|口令|password|passcode|pin)(\s*(?:是|为|為|:|：|is)?\s*)([^\s，,。；;！!？?、]+)/gi;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

export type PiiKind = 'id' | 'card' | 'phone' | 'email' | 'password';

export interface MaskResult {
  text: string;
  found: PiiKind[];
}

/** What must never be kept anywhere, even in a transcript: card and ID numbers and passwords. */
export const NEVER_KEPT: readonly PiiKind[] = ['id', 'card', 'password'];

/**
 * Masks the given kinds (all by default). A card number keeps its last four
 * digits ("****0123"), which is all a complaint needs.
 */
export function maskPii(text: string, kinds: readonly PiiKind[] = ['id', 'card', 'phone', 'email', 'password']): MaskResult {
  const found = new Set<PiiKind>();
  const want = new Set(kinds);
  let out = !want.has('password') ? text : text.replace(PASSWORD, (_m, word: string, sep: string) => {
    found.add('password');
    return `${word}${sep}[已隐藏/hidden]`;
  });
  if (want.has('id')) out = out.replace(ID_NUMBER, () => {
    found.add('id');
    return '[身份证号已隐藏/ID hidden]';
  });
  if (want.has('card')) out = out.replace(CARD_NUMBER, (match) => {
    const digits = match.replace(/\D/g, '');
    // A mainland mobile with its +86 country code is a phone number, handled below.
    if (digits.length < 12 || /^861[3-9]\d{9}$/.test(digits)) return match;
    found.add('card');
    return `****${digits.slice(-4)}`;
  });
  if (want.has('phone')) out = out.replace(MOBILE, (_m, head: string, _mid: string, tail: string) => {
    found.add('phone');
    return `${head}****${tail}`;
  });
  if (want.has('phone')) out = out.replace(LANDLINE, (_m, area: string, _mid: string, tail: string) => {
    found.add('phone');
    return `${area}-****${tail}`;
  });
  if (want.has('email')) out = out.replace(EMAIL, (_m, first: string, domain: string) => {
    found.add('email');
    return `${first}***@${domain}`;
  });
  return { text: out, found: [...found] };
}

export function maskText(text: string): string {
  return maskPii(text).text;
}
