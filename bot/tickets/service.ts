/**
 * The ticket service the dialogs, the desk, the scheduler and the channels use:
 * create (reads: reader.ts), transition and assignment (with the record of
 * handlers and the appeal's different handler, handlers.ts), notes, evidence, merged details,
 * clock extensions and pauses, callback requests. Tickets are documents in the
 * StateBackend updated with optimistic concurrency; every change appends to
 * the audit trail.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import { localDate } from './calendar';
import { appealClocks, extendClock, pauseClock, restartClocks, resumeClock, startClocks } from './clocks';
import { OpenComplaints } from './open-index';
import { TicketReader } from './reader';
import { applyHandlers, assertNotBarred, handlerChanges, HandlerBarredError, isPerson } from './handlers';
import { levelFor } from './level';
import type { Level } from './policy';
import { TicketNumbers } from './numbers';
import { resolutionSchema, ticketSchema, type AuditEntry, type ComplaintDetails, type Resolution, type Ticket, type TicketStatus } from './model';
import type { ComplaintPolicy } from './policy';
import { assertTransition, OPEN_STATUSES } from './state-machine';

export interface NewComplaint {
  customer: Ticket['customer'];
  conversationRef: Ticket['conversationRef'];
  details: ComplaintDetails;
  evidence?: Ticket['evidence'];
  consent: Ticket['consent'];
  lawfulBasis: Ticket['lawfulBasis'];
  /** Everything the customer wrote, for the level signals (media, lawyer, …). */
  customerTexts: string[];
  /** Recorded with the creation (for example how many questions the intake asked). */
  note?: string;
  repeat?: boolean;
  /** The level is at least this (triage's reading of the conversation). */
  atLeast?: Level;
}

/** Changes the customer must be told of (bot/notify words and delivers them). */
export type TicketChange =
  | { kind: 'extended'; reason: string }
  | { kind: 'paused'; reason: string }
  | { kind: 'resumed' }
  | { kind: 'status'; note?: string };

/** Statuses the customer hears about when staff move the ticket (they know of their own withdrawal). */
const TOLD_STATUSES: readonly TicketStatus[] = ['accepted', 'assigned', 'in_progress', 'resolved', 'closed', 'reopened', 'merged'];

/** How a move is made: a note, the answer, the assignee, the version seen, the complaint a merged one carries on in. */
interface MoveHow {
  note?: string;
  resolution?: Resolution;
  assignee?: string;
  version?: string;
  mergedInto?: string;
}

/** A change made on the version a staff member saw is refused when the complaint changed since — never applied over it. */
export function assertVersion(t: Ticket, version: string | undefined): void {
  if (version !== undefined && t.updatedAt !== version) throw new AppError('STALE_VERSION', 'The complaint changed since you opened it: reload it and try again', 409);
}

export class TicketService extends TicketReader {
  /** Called after a change the customer must be told of; failures are logged by the listener, never thrown here. */
  onChange: (ticket: Ticket, change: TicketChange) => Promise<unknown> = async () => undefined;
  /** Called after every write (the status schedule re-plans the complaint); failures are the listener's to log. */
  onWrite: (ticket: Ticket) => Promise<unknown> = async () => undefined;
  private readonly numbers: TicketNumbers;

  constructor(backend: StateBackend, keys: Keys, policy: ComplaintPolicy, now: () => Date = () => new Date()) {
    super(backend, keys, policy, now, new OpenComplaints(backend, keys));
    this.numbers = new TicketNumbers(backend, keys, policy.timeLimits.timezone);
  }

  async create(input: NewComplaint): Promise<Ticket> {
    const at = this.now();
    const category = this.policy.categories[input.details.category] ? input.details.category : 'other';
    const rule = this.policy.categories[category]!;
    // Routed by business line when one was read; otherwise by the nature category, as before lines existed.
    const line = input.details.line ? this.policy.lines.lines[input.details.line] : undefined;
    const department = line && input.details.line !== 'other' ? line.department : rule.department;
    const level = levelFor(this.policy, {
      texts: input.customerTexts,
      amountCny: input.details.amount?.currency === 'CNY' ? input.details.amount.value : undefined,
      repeat: input.repeat,
      atLeast: input.atLeast,
    });
    const build = (number: string): Ticket => ticketSchema.parse({
      number,
      status: 'received',
      level,
      department,
      complex: rule.complex,
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
      customer: input.customer,
      conversationRef: input.conversationRef,
      details: { ...input.details, category },
      evidence: input.evidence ?? [],
      consent: input.consent,
      lawfulBasis: input.lawfulBasis,
      clocks: startClocks(this.policy.timeLimits, at, rule.complex, level),
      handlers: [],
      mergedMessages: 0,
      audit: [{ at: at.toISOString(), by: 'customer', action: 'created', to: 'received', note: [`level ${level}, department ${department}`, input.note].filter(Boolean).join('; ') }],
    });
    // Created only if the number is free: an expected eTag nobody holds makes the write create-if-absent
    // (the store's HGET + HSET in one Lua script, Redis's SET NX for a document). A taken number is skipped.
    const ticket = await this.numbers.issue(at, async (number) => {
      const draft = build(number);
      const written = await this.backend.writeDocument(this.keys.ticket(number), { eTag: randomUUID(), json: JSON.stringify(draft) }, randomUUID());
      return written === 'written' ? draft : undefined;
    });
    await this.backend.append(this.keys.customerTickets(ticket.customer.channelId, ticket.customer.id), ticket.number);
    await this.open.index(ticket);
    await this.onWrite(ticket).catch(() => undefined);
    return ticket;
  }

  async transition(number: string, to: TicketStatus, by: string, note?: string, resolution?: Resolution): Promise<Ticket> {
    return this.move(number, to, by, { note, resolution });
  }

  /** Assigns the complaint to a staff member; `by` is who assigns (a supervisor, or the assignee taking it). */
  async assign(number: string, assignee: string, by: string = assignee, note?: string): Promise<Ticket> {
    if (!isPerson(assignee)) throw new AppError('TICKET_INVALID', 'A complaint is assigned to a staff member', 400);
    return this.move(number, 'assigned', by, { note, assignee });
  }

  /**
   * A move made by staff in the desk: as `transition`/`assign`, and, with `version` (the `updatedAt` the
   * staff member saw), refused with STALE_VERSION when the complaint changed since — never applied over it.
   */
  async act(number: string, to: TicketStatus, by: string, how: MoveHow): Promise<Ticket> {
    if (to === 'assigned' && !isPerson(how.assignee ?? by)) throw new AppError('TICKET_INVALID', 'A complaint is assigned to a staff member', 400);
    return this.move(number, to, by, how);
  }

  private async move(number: string, to: TicketStatus, by: string, how: MoveHow): Promise<Ticket> {
    const { note, resolution, assignee, version } = how;
    if (to === 'merged' && !how.mergedInto) throw new AppError('TICKET_INVALID', 'A merged complaint names the one it carries on in', 400);
    let ticket: Ticket;
    try {
      ticket = await this.update(number, by, (t) => {
        assertVersion(t, version);
        assertTransition(t.status, to);
        // An appeal goes to a different handler: whoever handled the complaint before it may not take it again.
        assertNotBarred(t, to, by, assignee);
        let res = t.resolution;
        if (to === 'resolved') {
          const parsed = resolutionSchema.safeParse(resolution);
          if (!parsed.success) {
            throw new AppError('TICKET_INVALID', `Resolving needs the six elements of an answer: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`, 400);
          }
          res = parsed.data;
        }
        // The appeal has its own time limit, and goes back to the department's queue (no owner).
        const clocks = to === 'reopened' ? appealClocks(this.policy.timeLimits, t.clocks, this.now()) : t.clocks;
        const people = applyHandlers(t, to, by, assignee);
        const merged = to === 'merged' ? { mergedInto: how.mergedInto } : {};
        return [{ ...t, status: to, resolution: res, clocks, ...people, ...merged }, { action: 'status', from: t.status, to, note, changes: handlerChanges(t, people) }];
      });
    } catch (error) {
      if (error instanceof HandlerBarredError) {
        // The refusal is on record too: who tried, to do what, and why not.
        await this.update(number, by, (t) => [t, { action: 'handler_refused', changes: { to, person: error.person }, note: error.message }]);
      }
      throw error;
    }
    if (TOLD_STATUSES.includes(to)) await this.tell(ticket, { kind: 'status' });
    return ticket;
  }

  private async tell(ticket: Ticket, change: TicketChange): Promise<void> {
    await this.onChange(ticket, change).catch(() => undefined);
  }

  addNote(number: string, by: string, note: string): Promise<Ticket> {
    return this.update(number, by, (t) => [t, { action: 'note', note }]);
  }

  addEvidence(number: string, by: string, evidence: Omit<Ticket['evidence'][number], 'addedAt'>): Promise<Ticket> {
    return this.update(number, by, (t) => [
      { ...t, evidence: [...t.evidence, { ...evidence, addedAt: this.now().toISOString() }] },
      { action: 'evidence', changes: { kind: evidence.kind } },
    ]);
  }

  /**
   * The same complaint raised again while open: new facts are added and restart the regulatory clock. `from`:
   * they come from a later complaint merged into this one (its number is recorded, its evidence carried over).
   */
  addDetails(number: string, by: string, text: string, from?: { number: string; evidence: Ticket['evidence'] }): Promise<Ticket> {
    return this.update(number, by, (t) => {
      if (!OPEN_STATUSES.includes(t.status)) throw new AppError('STATE_CONFLICT', 'Only an open complaint takes new details', 409);
      // Checked inside the write: of two merges of one complaint racing, only one adds its words.
      if (from && t.audit.some((a) => a.action === 'merged' && a.changes?.from === from.number)) throw new AppError('ALREADY_MERGED', `${from.number} is already merged in`, 409);
      const source = from ? ` (${from.number})` : '';
      const description = `${t.details.description}\n[${localDate(this.now(), this.policy.timeLimits.timezone)}]${source} ${text}`.slice(0, 5000);
      const evidence = [...t.evidence, ...(from?.evidence ?? [])];
      return [
        { ...t, details: { ...t.details, description }, evidence, mergedMessages: t.mergedMessages + 1, clocks: restartClocks(this.policy.timeLimits, t.clocks, this.now()) },
        { action: 'merged', note: 'new facts added; regulatory clock restarted', ...(from ? { changes: { from: from.number } } : {}) },
      ];
    });
  }

  /** Extends the regulatory limit; `reason` is what the customer is told (in their words, e.g. "需要调取银联交易记录"). */
  async extend(number: string, approvedBy: string, reason: string): Promise<Ticket> {
    const ticket = await this.update(number, approvedBy, (t) => [
      { ...t, clocks: extendClock(this.policy.timeLimits, t.clocks, approvedBy, reason, this.now()) },
      { action: 'extended', note: reason },
    ]);
    await this.tell(ticket, { kind: 'extended', reason });
    return ticket;
  }

  async pause(number: string, by: string, reason: string): Promise<Ticket> {
    const ticket = await this.update(number, by, (t) => [{ ...t, clocks: pauseClock(t.clocks, reason, this.now()) }, { action: 'paused', note: reason }]);
    await this.tell(ticket, { kind: 'paused', reason });
    return ticket;
  }

  async resume(number: string, by: string): Promise<Ticket> {
    const ticket = await this.update(number, by, (t) => [{ ...t, clocks: resumeClock(this.policy.timeLimits, t.clocks, this.now()) }, { action: 'resumed' }]);
    await this.tell(ticket, { kind: 'resumed' });
    return ticket;
  }

  /** Moves an open complaint to another department's queue, without an owner there yet; the trail says from where and why. */
  async changeDepartment(number: string, by: string, department: string, reason: string, version?: string): Promise<Ticket> {
    let from = '';
    const ticket = await this.update(number, by, (t) => {
      assertVersion(t, version);
      if (!OPEN_STATUSES.includes(t.status)) throw new AppError('STATE_CONFLICT', 'Only an open complaint changes team', 409);
      if (t.department === department) throw new AppError('STATE_CONFLICT', 'The complaint is already with that team', 409);
      from = t.department;
      return [{ ...t, department, owner: undefined }, { action: 'team_changed', changes: { from, to: department }, note: reason }];
    });
    await this.open.forget(from, number);
    return ticket;
  }

  /** The customer's answer to the satisfaction survey (the first one counts; a later one is refused). */
  recordSurvey(number: string, score: number, comment?: string): Promise<Ticket> {
    return this.update(number, 'customer', (t) => {
      if (t.survey) throw new AppError('STATE_CONFLICT', 'The survey was answered already', 409);
      return [{ ...t, survey: { score, ...(comment ? { comment } : {}), at: this.now().toISOString() } }, { action: 'survey', changes: { score } }];
    });
  }

  requestCallback(number: string, by: string, expectedBy: Date, phone?: string): Promise<Ticket> {
    return this.update(number, by, (t) => [
      { ...t, callback: { requestedAt: this.now().toISOString(), expectedBy: expectedBy.toISOString(), phone: phone ?? t.customer.phone } },
      { action: 'callback_requested' },
    ]);
  }

  /** Read–change–write with the stored eTag; retried when another writer got there first. */
  private async update(number: string, by: string, change: (t: Ticket) => [Ticket, Omit<AuditEntry, 'at' | 'by'>]): Promise<Ticket> {
    const key = this.keys.ticket(number);
    for (let attempt = 0; attempt < 10; attempt++) {
      const [doc] = await this.backend.readDocuments([key]);
      if (!doc) throw new AppError('TICKET_NOT_FOUND', 'No such complaint', 404, 'progress.notFound');
      const current = ticketSchema.parse(JSON.parse(doc.json));
      const [next, entry] = change(current);
      const at = this.now().toISOString();
      const updated = ticketSchema.parse({ ...next, updatedAt: at, audit: [...current.audit, { at, by, ...entry }] });
      const result = await this.backend.writeDocument(key, { eTag: randomUUID(), json: JSON.stringify(updated) }, doc.eTag);
      if (result === 'written') {
        await this.open.index(updated);
        await this.onWrite(updated).catch(() => undefined);
        return updated;
      }
    }
    throw new AppError('STATE_CONFLICT', 'The complaint is being changed by someone else; try again', 409);
  }
}
