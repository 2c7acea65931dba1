/**
 * Notices the outbox gave up on, for supervisors (issue 12):
 *   GET  /desk/api/dead-letters                 the open ones, newest first: complaint, change, channel, attempts, why
 *   POST /desk/api/dead-letters/:id/retry       send it again (once, whoever clicks first)
 *   POST /desk/api/dead-letters/:id/handled     {note?}: the customer was told another way
 * Agents get 403. Decisions are in the desk's audit log.
 */
import type { Server } from 'restify';
import { z } from 'zod';
import { truncatedAddress } from '../http/client-address';
import { sendJson } from '../http/respond';
import type { DeadLetters } from '../notify/dead-letters';
import { staffId } from './complaint-views';
import type { DeskContext } from './context';
import { authenticate, bodyOf, DeskError, deskRoute } from './http';
import type { DeskSession } from './sessions';

const handledSchema = z.object({ note: z.string().trim().max(500).optional() }).strict();

export function registerDeadLetterRoutes(server: Server, d: DeskContext, dead: DeadLetters): void {
  const supervisor = (session: DeskSession) => {
    if (session.user.role !== 'supervisor') throw new DeskError('FORBIDDEN', 'dead letters are for supervisors', 403);
  };
  const outcome = (result: string) => {
    if (result === 'unknown') throw new DeskError('NOT_FOUND', 'no such dead notice', 404);
    if (result === 'decided') throw new DeskError('ALREADY_DECIDED', 'a colleague has already dealt with this notice', 409);
  };

  server.get('/desk/api/dead-letters', deskRoute(d.logger, 'desk.dead', async (req, res) => {
    const session = await authenticate(req, d.gate, false);
    supervisor(session);
    const notices = await dead.open();
    sendJson(res, 200, {
      notices: notices.map((n) => ({ id: n.id, number: n.number, change: n.change, channel: n.channelId, text: n.text, attempts: n.attempts, lastError: n.lastError, createdAt: n.createdAt })),
    });
  }));

  server.post('/desk/api/dead-letters/:id/retry', deskRoute(d.logger, 'desk.dead.retry', async (req, res) => {
    const session = await authenticate(req, d.gate, true);
    supervisor(session);
    const id = String(req.params.id ?? '');
    const result = await dead.retry(id, staffId(session.user.username));
    outcome(result);
    await d.audit.record({ staff: session.user.username, action: 'dead_letter', notice: id, status: 'retried', client: truncatedAddress(d.addressOf(req)) });
    sendJson(res, 200, { id, result });
  }));

  server.post('/desk/api/dead-letters/:id/handled', deskRoute(d.logger, 'desk.dead.handled', async (req, res) => {
    const session = await authenticate(req, d.gate, true);
    supervisor(session);
    const id = String(req.params.id ?? '');
    const body = await bodyOf(req, handledSchema);
    const result = await dead.markHandled(id, staffId(session.user.username), body.note);
    outcome(result);
    await d.audit.record({ staff: session.user.username, action: 'dead_letter', notice: id, status: 'handled', client: truncatedAddress(d.addressOf(req)) });
    sendJson(res, 200, { id, result });
  }));
}
