/**
 * The call-back queue in the desk (issue 12):
 *   GET  /desk/api/callbacks                 call-backs no one has finished, soonest due first (phone: last four digits)
 *   POST /desk/api/callbacks/:id/claim       take the call: one staff member wins; the answer carries the full number
 *   POST /desk/api/callbacks/:id/outcome     {outcome: reached|no_answer|wrong_number|not_needed, note?}: only the
 *        claimer; "no answer" puts it back for a later try (three in all); on a complaint, the outcome joins its trail
 * A call-back on a complaint the staff member may not see (another team's, or one that names them) is not shown
 * to them and is 404 for them. Claims and outcomes are in the desk's audit log.
 */
import type { Request, Server } from 'restify';
import { z } from 'zod';
import { truncatedAddress } from '../http/client-address';
import { sendJson } from '../http/respond';
import { CALLBACK_OUTCOMES, type CallbackItem } from '../handoff/callback-queue';
import type { CallbackService } from '../handoff/callbacks';
import type { TicketService } from '../tickets/service';
import { phoneTail, staffId, visibleTo } from './complaint-views';
import type { DeskContext } from './context';
import { authenticate, bodyOf, DeskError, deskRoute } from './http';
import { deskTeams } from './policy';
import type { DeskSession } from './sessions';

const outcomeSchema = z.object({ outcome: z.enum(CALLBACK_OUTCOMES), note: z.string().trim().max(2000).optional() }).strict();

export function registerCallbackRoutes(server: Server, d: DeskContext, callbacks: CallbackService, tickets: TicketService): void {
  const allTeams = deskTeams(d.content.complaints);
  const client = (req: Request) => truncatedAddress(d.addressOf(req));
  const notFound = () => new DeskError('NOT_FOUND', 'no such call-back', 404);

  /** Whether this staff member may see the call-back: always without a complaint, else as the complaint. */
  const maySee = async (item: CallbackItem, session: DeskSession): Promise<boolean> => {
    if (!item.ticketNumber) return true;
    const ticket = await tickets.get(item.ticketNumber).catch(() => undefined);
    return ticket ? visibleTo(ticket, session.user, allTeams, await d.staff.list()) : session.user.role === 'supervisor';
  };
  const shown = (item: CallbackItem, now: Date, full: boolean) => ({
    id: item.id,
    channel: item.channelId,
    locale: item.locale,
    ...(item.ticketNumber ? { ticketNumber: item.ticketNumber } : {}),
    requestedAt: item.requestedAt,
    dueBy: item.dueBy,
    overdue: Date.parse(item.dueBy) < now.getTime(),
    tries: item.tries,
    ...(item.claimedBy ? { claimedBy: item.claimedBy } : {}),
    ...(item.outcome ? { outcome: item.outcome, closedAt: item.closedAt } : {}),
    ...(full ? { phone: item.phone } : { phoneTail: phoneTail(item.phone) }),
  });
  const idOf = (req: Request) => String(req.params.id ?? '');

  server.get('/desk/api/callbacks', deskRoute(d.logger, 'desk.callbacks', async (req, res) => {
    const session = await authenticate(req, d.gate, false);
    const now = d.now();
    const items = await callbacks.pending();
    const visible = (await Promise.all(items.map(async (i) => ((await maySee(i, session)) ? i : undefined)))).filter((i): i is CallbackItem => i !== undefined);
    const me = staffId(session.user.username);
    sendJson(res, 200, { callbacks: visible.map((i) => shown(i, now, i.claimedBy === me)), names: await d.views.nameMap(), now: now.toISOString() });
  }));

  server.post('/desk/api/callbacks/:id/claim', deskRoute(d.logger, 'desk.callback.claim', async (req, res) => {
    const session = await authenticate(req, d.gate, true);
    const item = await callbacks.queue.get(idOf(req));
    if (!item || !(await maySee(item, session))) throw notFound();
    const result = await callbacks.queue.claim(item.id, staffId(session.user.username));
    if (!result.ok) {
      if (result.reason === 'unknown') throw notFound();
      if (result.reason === 'closed') throw new DeskError('CALLBACK_DONE', 'this call-back is already done', 409);
      throw new DeskError('CALLBACK_TAKEN', 'a colleague has taken this call-back', 409, result.by ? { by: result.by } : {});
    }
    await d.audit.record({ staff: session.user.username, action: 'callback_claim', callback: item.id, client: client(req) });
    sendJson(res, 200, shown(result.item, d.now(), true));
  }));

  server.post('/desk/api/callbacks/:id/outcome', deskRoute(d.logger, 'desk.callback.outcome', async (req, res) => {
    const session = await authenticate(req, d.gate, true);
    const item = await callbacks.queue.get(idOf(req));
    if (!item || !(await maySee(item, session))) throw notFound();
    const body = await bodyOf(req, outcomeSchema);
    const me = staffId(session.user.username);
    const result = await callbacks.queue.record(item.id, me, body.outcome, body.note);
    if (result === 'unknown') throw notFound();
    if (result === 'not_yours') throw new DeskError('NOT_YOURS', 'claim this call-back first', 403);
    if (item.ticketNumber) await tickets.addNote(item.ticketNumber, me, `call-back: ${body.outcome}${body.note ? ` — ${body.note}` : ''}`);
    await d.audit.record({ staff: session.user.username, action: 'callback_outcome', callback: item.id, status: body.outcome, client: client(req) });
    sendJson(res, 200, shown(result, d.now(), false));
  }));
}
