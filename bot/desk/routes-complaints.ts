/**
 * The complaint side of the desk (issue 12, its API; JSON, the same rules the pages will use):
 *   GET  /desk/api/complaints                  the open complaints of the staff member's teams, soonest
 *        promised date first; filters ?team= &status= &level= &category= &channel= &due=overdue|today
 *        &phoneTail=1234; ?number=TS-… finds one complaint whatever its status
 *   GET  /desk/api/complaints/:number          one complaint: the record (masked), clocks, audit trail, version
 *   POST /desk/api/complaints/:number/move     {to, version, note?, assignee?, resolution?}: a step the state
 *        machine allows (accept, assign, start, answer, close, reopen); `version` is the one the staff
 *        member saw: a complaint changed since is refused (409 STALE_VERSION), never overwritten
 *   POST /desk/api/complaints/:number/extend   {reason, version}  (supervisors: the approval) the regulatory
 *        limit to its next allowed length; `reason` is what the customer is told
 *   POST /desk/api/complaints/:number/pause    {reason, version}  the regulatory clock stops (outside appraisal)
 *   POST /desk/api/complaints/:number/resume   {version}
 *   POST /desk/api/complaints/:number/note     {text, version}   an internal note (never shown to the customer)
 *   POST /desk/api/complaints/:number/team     {team, reason, version}: to another team's queue (no owner there
 *        yet); never to the team of someone the complaint names (409 TEAM_CONFLICT)
 *   POST /desk/api/complaints/:number/merge    {into, version}: a repeat complaint into the same customer's earlier
 *        open one (tickets/merge.ts); answers the earlier one
 *   POST /desk/api/complaints/:number/answer-preview  {resolution}: the answer as the customer will read it
 *        (their language, the notice's own words), before it is sent; changes nothing
 *   POST /desk/api/complaints/:number/reveal   the customer's full phone number and name, to the owner or a
 *        supervisor, written to the desk's audit log first (who looked, when)
 * A complaint outside the staff member's teams, or one that names them, is 404. Agents accept, take
 * (assign to themselves), start and answer; assigning to someone else, closing and reopening are a
 * supervisor's. Withdrawal is the customer's. Every move is in the ticket's audit trail and the desk's.
 */
import type { Request, Server } from 'restify';
import { z } from 'zod';
import { AppError } from '../errors';
import { answerText } from '../notify/answer-text';
import { truncatedAddress } from '../http/client-address';
import { sendJson } from '../http/respond';
import { mergeComplaints, mergeProblem } from '../tickets/merge';
import { resolutionSchema, type Ticket } from '../tickets/model';
import { OPEN_STATUSES } from '../tickets/state-machine';
import { STATUSES } from '../tickets/model';
import { LEVELS } from '../tickets/policy';
import type { TicketService } from '../tickets/service';
import { AGENT_MOVES, detailOf, mayReveal, movesFor, namedTeams, phoneTail, staffId, summaryOf, teamsOf, visibleTo } from './complaint-views';
import type { DeskContext } from './context';
import { authenticate, bodyOf, DeskError, deskRoute } from './http';
import { deskTeams } from './policy';
import type { DeskSession } from './sessions';
import type { StaffUser } from './staff';

const NUMBER = /^TS-\d{8}-\d{4,}$/;
/** Account → shown name, for the page's words about people. */
const namesOf = (staff: StaffUser[]) => Object.fromEntries(staff.map((u) => [u.username, u.name]));

const listQuery = z
  .object({
    team: z.string().max(64).optional(),
    status: z.enum(STATUSES).optional(),
    level: z.enum(LEVELS).optional(),
    category: z.string().max(64).optional(),
    channel: z.string().max(64).optional(),
    due: z.enum(['overdue', 'today']).optional(),
    phoneTail: z.string().regex(/^\d{4}$/).optional(),
    number: z.string().max(32).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

const moveSchema = z
  .object({
    to: z.enum(STATUSES),
    version: z.string().min(1).max(40),
    note: z.string().trim().max(2000).optional(),
    assignee: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,31}$/).optional(),
    resolution: z.unknown().optional(),
  })
  .strict();

const clockSchema = z.object({ reason: z.string().trim().min(2).max(500), version: z.string().min(1).max(40) }).strict();
const resumeSchema = z.object({ version: z.string().min(1).max(40) }).strict();
const noteSchema = z.object({ text: z.string().trim().min(1).max(2000), version: z.string().min(1).max(40) }).strict();
const mergeSchema = z.object({ into: z.string().min(1).max(32), version: z.string().min(1).max(40) }).strict();
const teamSchema = z.object({ team: z.string().min(1).max(64), reason: z.string().trim().min(2).max(500), version: z.string().min(1).max(40) }).strict();

/** The service's refusals in the desk's codes. */
function refusal(error: unknown): never {
  if (!(error instanceof AppError)) throw error;
  if (error.code === 'STALE_VERSION') throw new DeskError('STALE_VERSION', error.message, 409);
  if (error.code === 'STATE_CONFLICT') throw new DeskError('MOVE_REFUSED', error.message, 409);
  if (error.code === 'TICKET_INVALID') throw new DeskError('BAD_REQUEST', error.message, 400);
  throw error;
}

export function registerComplaintRoutes(server: Server, d: DeskContext, tickets: TicketService): void {
  const allTeams = deskTeams(d.content.complaints);
  const timeZone = d.content.complaints.timeLimits.timezone;
  const now = d.now;
  const client = (req: Request) => truncatedAddress(d.addressOf(req));

  /** The record as the page shows it: the masked detail, the steps open to this staff member, and names for accounts. */
  const forPage = async (ticket: Ticket, session: DeskSession, staff: StaffUser[]) => {
    const { user } = session;
    const names = namesOf(staff);
    const assignees = user.role === 'supervisor'
      ? staff.filter((u) => !u.disabled && visibleTo(ticket, u, allTeams, staff) && !ticket.barredHandlers.includes(staffId(u.username))).map((u) => ({ username: u.username, name: u.name }))
      : [];
    // Teams it may move to: any other, but never the team of someone it names.
    const named = namedTeams(ticket, staff);
    const teams = allTeams.filter((team) => team !== ticket.department && !named.includes(team));
    // The conversation the complaint came from, as recorded for the desk (masked; kept for the transcript's TTL).
    const conversationId = (ticket.conversationRef.conversation as { id?: unknown } | undefined)?.id;
    const conversation = typeof conversationId === 'string' ? await d.handoff.transcript(`${ticket.customer.channelId}:${conversationId}`, 100) : [];
    // Earlier open complaints of the same customer this one may be merged into (as the caller may see them).
    const mine = OPEN_STATUSES.includes(ticket.status) ? await tickets.listByCustomer(ticket.customer.channelId, ticket.customer.id) : [];
    const mergeInto = mine
      .filter((t) => !mergeProblem(ticket, t) && visibleTo(t, user, allTeams, staff))
      .map((t) => ({ number: t.number, category: t.details.category, status: t.status, createdAt: t.createdAt }));
    return { ...detailOf(ticket, now(), timeZone, staff), moves: movesFor(ticket, user), assignees, teams, mergeInto, names, canReveal: mayReveal(ticket, user), conversation };
  };

  /**
   * The complaint, when this staff member may see it (otherwise the same 404 as for a number that does not
   * exist), with every staff account — read once per request: visibility, names and assignees all need them.
   */
  const visible = async (number: string, session: DeskSession): Promise<{ ticket: Ticket; staff: StaffUser[] }> => {
    const notFound = new DeskError('COMPLAINT_NOT_FOUND', 'no such complaint', 404);
    if (!NUMBER.test(number)) throw notFound;
    let ticket: Ticket;
    try {
      ticket = await tickets.get(number);
    } catch (error) {
      if (error instanceof AppError && error.code === 'TICKET_NOT_FOUND') throw notFound;
      throw error;
    }
    const staff = await d.staff.list();
    if (!visibleTo(ticket, session.user, allTeams, staff)) throw notFound;
    return { ticket, staff };
  };

  server.get('/desk/api/complaints', deskRoute(d.logger, 'desk.complaints', async (req, res) => {
    const session = await authenticate(req, d.gate, false);
    const parsed = listQuery.safeParse(req.query ?? {});
    if (!parsed.success) throw new DeskError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), 400);
    const q = parsed.data;
    const at = now();
    if (q.number) {
      const one = await visible(q.number.trim().toUpperCase(), session).catch((e: unknown) => (e instanceof DeskError && e.code === 'COMPLAINT_NOT_FOUND' ? undefined : Promise.reject(e)));
      const staff = one?.staff ?? (await d.staff.list());
      sendJson(res, 200, { complaints: one ? [summaryOf(one.ticket, at, timeZone, staff)] : [], total: one ? 1 : 0, teams: teamsOf(session.user, allTeams), names: namesOf(staff), now: at.toISOString() });
      return;
    }
    const teams = teamsOf(session.user, allTeams).filter((t) => !q.team || t === q.team);
    const [lists, staff] = await Promise.all([Promise.all(teams.map((t) => tickets.listOpen(t, 1000))), d.staff.list()]);
    const summaries = lists
      .flat()
      .filter((t) => visibleTo(t, session.user, allTeams, staff))
      .filter((t) => (!q.status || t.status === q.status) && (!q.level || t.level === q.level) && (!q.category || t.details.category === q.category) && (!q.channel || t.customer.channelId === q.channel))
      .filter((t) => !q.phoneTail || phoneTail(t.customer.phone) === q.phoneTail)
      .map((t) => summaryOf(t, at, timeZone, staff))
      .filter((s) => !q.due || (q.due === 'overdue' ? s.overdue : s.dueToday))
      .sort((a, b) => a.promised.localeCompare(b.promised) || a.number.localeCompare(b.number));
    sendJson(res, 200, { complaints: summaries.slice(0, q.limit), total: summaries.length, teams: teamsOf(session.user, allTeams), names: namesOf(staff), now: at.toISOString() });
  }));

  server.get('/desk/api/complaints/:number', deskRoute(d.logger, 'desk.complaint', async (req, res) => {
    const session = await authenticate(req, d.gate, false);
    const { ticket, staff } = await visible(String(req.params.number ?? ''), session);
    sendJson(res, 200, await forPage(ticket, session, staff));
  }));

  server.post('/desk/api/complaints/:number/merge', deskRoute(d.logger, 'desk.complaint.merge', async (req, res) => {
    const session = await authenticate(req, d.gate, true);
    const { ticket: later, staff } = await visible(String(req.params.number ?? ''), session);
    const body = await bodyOf(req, mergeSchema);
    const { ticket: earlier } = await visible(body.into.trim().toUpperCase(), session);
    const merged = await mergeComplaints(tickets, later.number, earlier.number, staffId(session.user.username), body.version).catch(refusal);
    await d.audit.record({ staff: session.user.username, action: 'complaint_move', complaint: later.number, status: 'merged', to: earlier.number, client: client(req) });
    sendJson(res, 200, await forPage(merged.earlier, session, staff));
  }));

  server.post('/desk/api/complaints/:number/answer-preview', deskRoute(d.logger, 'desk.complaint.preview', async (req, res) => {
    const session = await authenticate(req, d.gate, true);
    const { ticket } = await visible(String(req.params.number ?? ''), session);
    const body = await bodyOf(req, z.object({ resolution: z.record(z.string(), z.unknown()) }).strict());
    const parsed = resolutionSchema.safeParse({ ...body.resolution, handledAt: now().toISOString() });
    if (!parsed.success) throw new DeskError('BAD_REQUEST', `the answer needs: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`, 400);
    sendJson(res, 200, answerText(d.translator, ticket, parsed.data, timeZone));
  }));

  server.post('/desk/api/complaints/:number/reveal', deskRoute(d.logger, 'desk.complaint.reveal', async (req, res) => {
    const session = await authenticate(req, d.gate, true);
    const { ticket } = await visible(String(req.params.number ?? ''), session);
    await bodyOf(req, z.object({}).strict()); // nothing to send; anything else is a mistake, refused like any bad body
    if (!mayReveal(ticket, session.user)) throw new DeskError('FORBIDDEN', 'only the complaint\'s owner or a supervisor may see the customer\'s contact details', 403);
    // On the record before the number leaves: a look that was not recorded must not happen. (The desk's audit
    // log, not the ticket's trail: a look is not a change, and must not make a colleague's open page stale.)
    await d.audit.record({ staff: session.user.username, action: 'reveal', complaint: ticket.number, client: client(req) });
    sendJson(res, 200, { phone: ticket.customer.phone ?? null, name: ticket.customer.name ?? null });
  }));

  server.post('/desk/api/complaints/:number/move', deskRoute(d.logger, 'desk.complaint.move', async (req, res) => {
    const session = await authenticate(req, d.gate, true);
    const { ticket, staff } = await visible(String(req.params.number ?? ''), session);
    const body = await bodyOf(req, moveSchema);
    const { user } = session;
    const me = staffId(user.username);
    const assignee = body.to === 'assigned' ? staffId(body.assignee ?? user.username) : undefined;
    if (body.to === 'withdrawn') throw new DeskError('FORBIDDEN', 'only the customer withdraws a complaint', 403);
    if (user.role !== 'supervisor') {
      if (!AGENT_MOVES.includes(body.to)) throw new DeskError('FORBIDDEN', `only a supervisor may make a complaint "${body.to}"`, 403);
      if (assignee && assignee !== me) throw new DeskError('FORBIDDEN', 'only a supervisor assigns a complaint to someone else', 403);
    }
    if (assignee && body.assignee && body.assignee !== user.username) {
      // The assignee must be a colleague of that team who may see it (not named in it).
      const colleague = staff.find((u) => u.username === body.assignee);
      if (!colleague || colleague.disabled || !visibleTo(ticket, colleague, allTeams, staff)) throw new DeskError('COLLEAGUE_UNAVAILABLE', 'this colleague cannot take this complaint', 409);
    }
    // The answer's time is the server's (a laptop's clock may be off); the rest of it is checked by the service.
    const resolution = body.to === 'resolved' && body.resolution && typeof body.resolution === 'object' ? { ...body.resolution, handledAt: now().toISOString() } : body.resolution;
    const moved = await tickets.act(ticket.number, body.to, me, { note: body.note, assignee, version: body.version, resolution: resolution as never }).catch(refusal);
    await d.audit.record({ staff: user.username, action: 'complaint_move', complaint: moved.number, status: body.to, ...(assignee && assignee !== me ? { to: body.assignee } : {}), client: client(req) });
    sendJson(res, 200, await forPage(moved, session, staff));
  }));

  server.post('/desk/api/complaints/:number/team', deskRoute(d.logger, 'desk.complaint.team', async (req, res) => {
    const session = await authenticate(req, d.gate, true);
    const { ticket, staff } = await visible(String(req.params.number ?? ''), session);
    const body = await bodyOf(req, teamSchema);
    if (!allTeams.includes(body.team)) throw new DeskError('BAD_REQUEST', `no team "${body.team}"`, 400);
    if (namedTeams(ticket, staff).includes(body.team)) throw new DeskError('TEAM_CONFLICT', 'the complaint names someone of that team: it may not go there', 409);
    // The version is checked by the service, inside its write (STALE_VERSION).
    const moved = await tickets.changeDepartment(ticket.number, staffId(session.user.username), body.team, body.reason, body.version).catch(refusal);
    await d.audit.record({ staff: session.user.username, action: 'complaint_move', complaint: moved.number, status: `team:${body.team}`, client: client(req) });
    // The caller may no longer see it (another team's): the page then goes back to the list.
    sendJson(res, 200, visibleTo(moved, session.user, allTeams, staff) ? await forPage(moved, session, staff) : { moved: true, number: moved.number, department: moved.department });
  }));

  /** A change to the clocks or the notes: on the version the staff member saw, by role, audited twice. */
  const clockRoute = <T extends { version: string }>(action: 'extend' | 'pause' | 'resume' | 'note', schema: z.ZodType<T>, supervisorOnly: boolean, apply: (number: string, by: string, body: T) => Promise<Ticket>) =>
    server.post(`/desk/api/complaints/:number/${action}`, deskRoute(d.logger, `desk.complaint.${action}`, async (req, res) => {
      const session = await authenticate(req, d.gate, true);
      const { ticket, staff } = await visible(String(req.params.number ?? ''), session);
      const body = await bodyOf(req, schema);
      if (supervisorOnly && session.user.role !== 'supervisor') throw new DeskError('FORBIDDEN', `only a supervisor may ${action} a complaint's time limit`, 403);
      // The version check is on the record just read for visibility (a change landing after it is still applied
      // through the service's own read–change–write, so the record stays consistent).
      if (ticket.updatedAt !== body.version) throw new DeskError('STALE_VERSION', 'The complaint changed since you opened it: reload it and try again', 409);
      const changed = await apply(ticket.number, staffId(session.user.username), body).catch(refusal);
      await d.audit.record({ staff: session.user.username, action: 'complaint_move', complaint: changed.number, status: action, client: client(req) });
      sendJson(res, 200, await forPage(changed, session, staff));
    }));
  clockRoute('extend', clockSchema, true, (n, by, b) => tickets.extend(n, by, b.reason));
  clockRoute('pause', clockSchema, false, (n, by, b) => tickets.pause(n, by, b.reason));
  clockRoute('resume', resumeSchema, false, (n, by) => tickets.resume(n, by));
  clockRoute('note', noteSchema, false, (n, by, b) => tickets.addNote(n, by, b.text));
}
