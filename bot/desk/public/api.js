// Calls to the desk API: same-origin JSON, the session's CSRF token on every change, and one place that
// notices an expired session. A refresh the page makes by itself says so (X-Desk-Background), so it does not
// count as the staff member's activity for the idle timeout.
import { page, t } from './util.js';

let csrf = page.csrf;
let onExpired = () => undefined;

/** Called once, when any answer says the session is over. */
export const whenExpired = (handler) => {
  onExpired = handler;
};

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code ?? (status === 0 ? 'NETWORK' : 'INTERNAL');
    this.detail = body?.error ?? {};
  }
}

export async function api(method, path, body, { background = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf ?? '';
  if (background) headers['X-Desk-Background'] = '1';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError(0, undefined);
  }
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const error = new ApiError(res.status, json);
    if (error.code === 'SESSION_EXPIRED' || (error.code === 'UNAUTHORIZED' && !path.endsWith('/login'))) onExpired(error.code);
    throw error;
  }
  if (json.csrf) csrf = json.csrf;
  return json;
}

/** The sentence for a refusal (desk.json error.<CODE>). */
export function errorText(error) {
  const key = `error.${error?.code ?? 'INTERNAL'}`;
  const text = t(key, { seconds: error?.detail?.seconds ?? '' });
  return text === key ? t('error.INTERNAL') : text;
}

export const chatPath = (key, action) => `/desk/api/chats/${encodeURIComponent(key)}${action ? `/${action}` : ''}`;
