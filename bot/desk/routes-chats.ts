/**
 * The chat side of the desk (JSON; every change needs the session's CSRF token):
 *   GET  /desk/api/queue                     waiting chats, mine, (supervisors) colleagues'
 *   GET  /desk/api/chats/:key                one chat, its transcript, canned replies
 *   POST /desk/api/chats/:key/claim          take a waiting chat (exactly one claimer wins)
 *   POST /desk/api/chats/:key/reply          {text}: checked for forbidden phrases, then sent
 *   POST /desk/api/chats/:key/transfer       {to}: to a colleague on duty
 *   POST /desk/api/chats/:key/end            {how: 'staff' | 'bot'}: end, or hand back to the bot (the holder's;
 *                                            a supervisor's for any chat not ended: a waiting one, or a colleague's)
 *   GET  /desk/api/colleagues                staff on duty, for a transfer
 *   GET  /desk/api/audit?day=YYYY-MM-DD      the audit log (supervisors)
 * Every change is written to the audit log.
 */
import type { Request, Server } from 'restify';
import { z } from 'zod';
import type { SupportedLocale } from '../content/schemas';
import { AppError } from '../errors';
import { truncatedAddress } from '../http/client-address';
import { sendJson } from '../http/respond';
import type { HandoffChat } from '../handoff/model';
import type { DeskContext } from './context';
import { authenticate, bodyOf, DeskError, deskRoute } from './http';
import type { DeskSession } from './sessions';
import { profileOf } from './staff';

const endSchema = z.object({ how: z.enum(['staff', 'bot']) }).strict();
const transferSchema = z.object({ to: z.string().min(1).max(64) }).strict();

export function registerChatRoutes(server: Server, d: DeskContext): void {
  const { gate, handoff, audit } = d;
  const replySchema = z.object({ text: z.string().trim().min(1).max(d.policy.replyMaxChars) }).strict();
  const keyOf = (req: Request) => String(req.params.key ?? '');
  const client = (req: Request) => truncatedAddress(d.addressOf(req));

  /** The chat, or the refusal that says why it cannot be acted on. */
  const current = async (key: string): Promise<HandoffChat> => {
    const chat = await handoff.get(key);
    if (!chat) throw new DeskError('CHAT_NOT_FOUND', 'no such chat', 404);
    if (chat.status === 'ended') throw new DeskError('CHAT_ENDED', 'this chat has already ended', 409);
    return chat;
  };
  const owned = async (key: string, session: DeskSession): Promise<HandoffChat> => {
    const chat = await current(key);
    if (chat.status !== 'with_staff' || chat.claimedBy !== session.user.username) throw new DeskError('NOT_YOUR_CHAT', 'this chat is not yours: claim it first', 403);
    return chat;
  };
  /** The handoff service's refusals (a race lost between our check and its own), in the desk's codes. */
  const translated = async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code.startsWith('CHANNEL_')) throw new DeskError('DELIVERY_FAILED', 'the customer\'s channel did not take the message', 502);
      if (error.code === 'NOT_FOUND') throw new DeskError('CHAT_NOT_FOUND', 'no such chat', 404);
      if (error.code === 'FORBIDDEN' || error.code === 'STATE_CONFLICT') {
        if ((await handoff.get(key))?.status === 'ended') throw new DeskError('CHAT_ENDED', 'this chat has already ended', 409);
        throw new DeskError('NOT_YOUR_CHAT', 'this chat changed hands meanwhile', 403);
      }
      throw error;
    }
  };

  server.get('/desk/api/queue', deskRoute(d.logger, 'desk.queue', async (req, res) => {
    const session = await authenticate(req, gate, false);
    sendJson(res, 200, await d.views.queue(session));
  }));

  server.get('/desk/api/chats/:key', deskRoute(d.logger, 'desk.chat', async (req, res) => {
    const session = await authenticate(req, gate, false);
    sendJson(res, 200, await d.views.chat(keyOf(req), session));
  }));

  server.post('/desk/api/chats/:key/claim', deskRoute(d.logger, 'desk.claim', async (req, res) => {
    const session = await authenticate(req, gate, true);
    const key = keyOf(req);
    const outcome = await handoff.claim(key, session.user.username);
    if (outcome === 'unknown') throw new DeskError('CHAT_NOT_FOUND', 'no such chat', 404);
    if (outcome === 'ended') throw new DeskError('CHAT_ENDED', 'this chat has already ended', 409);
    if (outcome === 'taken') {
      const holder = (await handoff.get(key))?.claimedBy;
      throw new DeskError('CHAT_TAKEN', 'a colleague has taken this chat', 409, holder ? { by: holder, name: (await d.views.nameMap())[holder] ?? holder } : {});
    }
    await audit.record({ staff: session.user.username, action: 'claim', chat: key, client: client(req) });
    sendJson(res, 200, await d.views.chat(key, session));
  }));

  server.post('/desk/api/chats/:key/reply', deskRoute(d.logger, 'desk.reply', async (req, res) => {
    const session = await authenticate(req, gate, true);
    const key = keyOf(req);
    const { text } = await bodyOf(req, replySchema);
    const chat = await owned(key, session);
    const hits = d.replyCheck.check(text, chat.locale as SupportedLocale);
    if (hits.length > 0) throw new DeskError('FORBIDDEN_PHRASE', 'the reply contains a forbidden service phrase; nothing was sent', 422, { hits });
    const entry = await translated(key, () => handoff.reply(key, session.user.username, text));
    await audit.record({ staff: session.user.username, action: 'reply', chat: key, chars: text.length, client: client(req) });
    sendJson(res, 200, { entry });
  }));

  server.post('/desk/api/chats/:key/transfer', deskRoute(d.logger, 'desk.transfer', async (req, res) => {
    const session = await authenticate(req, gate, true);
    const key = keyOf(req);
    const me = session.user.username;
    const { to } = await bodyOf(req, transferSchema);
    const chat = await current(key);
    // A supervisor may move any colleague's chat (to someone else, or to themselves); an agent only their own.
    const supervising = session.user.role === 'supervisor' && chat.status === 'with_staff' && chat.claimedBy !== me;
    if (!supervising && (chat.status !== 'with_staff' || chat.claimedBy !== me)) throw new DeskError('NOT_YOUR_CHAT', 'this chat is not yours: claim it first', 403);
    const colleague = await d.staff.get(to);
    const onDuty = await handoff.presence.who();
    if (!colleague || colleague.disabled || to === chat.claimedBy || !onDuty.includes(to)) {
      throw new DeskError('COLLEAGUE_UNAVAILABLE', 'that colleague is not on duty', 409);
    }
    const from = chat.claimedBy ?? me;
    await translated(key, () => handoff.transfer(key, from, to));
    await audit.record({ staff: me, action: 'transfer', chat: key, to, client: client(req) });
    sendJson(res, 200, { ok: true, to });
  }));

  server.post('/desk/api/chats/:key/end', deskRoute(d.logger, 'desk.end', async (req, res) => {
    const session = await authenticate(req, gate, true);
    const key = keyOf(req);
    const { how } = await bodyOf(req, endSchema);
    const me = session.user.username;
    const chat = await current(key);
    // A supervisor may close any chat still open (a colleague gone home, a waiting chat nobody should take);
    // the audit names whose chat it was.
    const supervising = session.user.role === 'supervisor' && !(chat.status === 'with_staff' && chat.claimedBy === me);
    if (!supervising) await owned(key, session);
    await translated(key, () => handoff.end(key, me, how, supervising));
    await audit.record({ staff: me, action: how === 'bot' ? 'hand_back' : 'end', chat: key, ...(supervising ? { of: chat.claimedBy ?? 'queue' } : {}), client: client(req) });
    sendJson(res, 200, { ok: true });
  }));

  server.get('/desk/api/colleagues', deskRoute(d.logger, 'desk.colleagues', async (req, res) => {
    const session = await authenticate(req, gate, false);
    const [onDuty, withStaff] = await Promise.all([handoff.presence.who(), handoff.withStaff()]);
    const users = await Promise.all(onDuty.filter((u) => u !== session.user.username).map((u) => d.staff.get(u)));
    const colleagues = users.flatMap((u) => (u && !u.disabled ? [{ ...profileOf(u), holding: withStaff.filter((c) => c.claimedBy === u.username).length }] : []));
    sendJson(res, 200, { colleagues });
  }));

  server.get('/desk/api/audit', deskRoute(d.logger, 'desk.audit', async (req, res) => {
    const session = await authenticate(req, gate, false);
    if (session.user.role !== 'supervisor') throw new DeskError('FORBIDDEN', 'the audit log is for supervisors', 403);
    const query = (req.query ?? {}) as Record<string, unknown>;
    const day = typeof query.day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(query.day) ? query.day : audit.today();
    const skip = Math.min(1_000_000, Math.max(0, Number.parseInt(String(query.skip ?? '0'), 10) || 0));
    sendJson(res, 200, { day, ...(await audit.read(day, skip)), names: await d.views.nameMap() });
  }));
}
