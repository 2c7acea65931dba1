/** A staff member signed in to the desk over real HTTP: their session cookie and CSRF token on every call. */
export const DESK_PASSWORD = 'Desk-pass-2024';

let addresses = 0;

export class DeskStaff {
  cookie = '';
  csrf = '';
  readonly address = `203.0.113.${++addresses % 250}`;
  constructor(readonly url: string) {}

  /** Signs in (the app must trust X-Forwarded-For: TRUST_PROXY=1, so each staff member has an address of their own). */
  static async login<T extends DeskStaff>(this: new (url: string) => T, url: string, username: string, password = DESK_PASSWORD): Promise<T> {
    const s = new this(url);
    const res = await fetch(`${url}/desk/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': s.address }, body: JSON.stringify({ username, password }) });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
    s.cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    s.csrf = ((await res.json()) as { csrf: string }).csrf;
    return s;
  }

  async call(method: string, path: string, body?: unknown) {
    const headers: Record<string, string> = { 'X-Forwarded-For': this.address, Cookie: this.cookie, 'X-CSRF-Token': this.csrf, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) };
    const res = await fetch(`${this.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
  }
}
