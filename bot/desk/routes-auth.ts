/**
 * Signing in and out of the desk:
 *   POST /desk/api/login    {username, password} → session cookie, {me, csrf}
 *   POST /desk/api/logout   (CSRF) ends this session and its live streams
 *   GET  /desk/api/me       who is signed in, and the CSRF token for changes
 */
import type { Server } from 'restify';
import { z } from 'zod';
import { truncatedAddress } from '../http/client-address';
import { sendJson } from '../http/respond';
import type { DeskContext } from './context';
import { authenticate, bodyOf, DeskError, deskRoute, sameOrigin } from './http';
import { sessionCookie } from './sessions';
import { profileOf, USERNAME } from './staff';

const loginSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict();

export function registerAuthRoutes(server: Server, d: DeskContext): void {
  const { gate } = d;

  server.post('/desk/api/login', deskRoute(d.logger, 'desk.login', async (req, res) => {
    // No session yet, so no CSRF token: the origin check and a JSON-only body keep other sites from signing someone in.
    if (!sameOrigin(req, gate.publicUrl)) throw new DeskError('CSRF_INVALID', 'sign in from the desk page', 403);
    const body = await bodyOf(req, loginSchema);
    const username = body.username.trim().toLowerCase();
    const account = USERNAME.test(username) ? username : '~invalid';
    const address = d.addressOf(req);
    const client = truncatedAddress(address);
    const blocked = await d.throttle.blocked(account, address);
    if (blocked) throw new DeskError('RATE_LIMITED', 'too many failed logins: wait', 429, { seconds: blocked }, blocked);
    const user = await d.staff.authenticate(username, body.password);
    if (!user) {
      const wait = await d.throttle.failed(account, address);
      await d.audit.record({ staff: account, action: 'login_failed', client });
      if (wait) throw new DeskError('RATE_LIMITED', 'too many failed logins: wait', 429, { seconds: wait }, wait);
      throw new DeskError('LOGIN_FAILED', 'wrong account or password', 401);
    }
    await d.throttle.succeeded(account);
    const { token, session } = await d.sessions.create(user);
    await d.audit.record({ staff: user.username, action: 'login', client });
    sendJson(res, 200, { me: profileOf(user), csrf: session.csrf, expiresAt: new Date(session.expiresAt).toISOString() }, {
      'Set-Cookie': sessionCookie(token, d.sessions.absoluteMs / 1000, gate.secure),
    });
  }));

  server.post('/desk/api/logout', deskRoute(d.logger, 'desk.logout', async (req, res) => {
    const session = await authenticate(req, gate, true);
    await d.sessions.destroy(session.tokenHash);
    d.events.closeSession(session.tokenHash);
    // Off duty at once unless another of this account's desks is still open here (its next heartbeat puts it back).
    if (!d.events.hasAccount(session.user.username)) await d.handoff.presence.leave(session.user.username);
    await d.audit.record({ staff: session.user.username, action: 'logout', client: truncatedAddress(d.addressOf(req)) });
    sendJson(res, 200, { ok: true }, { 'Set-Cookie': sessionCookie('', 0, gate.secure) });
  }));

  server.get('/desk/api/me', deskRoute(d.logger, 'desk.me', async (req, res) => {
    const session = await authenticate(req, gate, false);
    sendJson(res, 200, { me: profileOf(session.user), csrf: session.csrf, expiresAt: new Date(session.expiresAt).toISOString() });
  }));
}
