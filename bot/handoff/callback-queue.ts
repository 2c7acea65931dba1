/**
 * The call-back queue staff work from (issue 12): every call-back a customer
 * asked for — on their complaint or without one — is an item with an id, due
 * by the promised time, until a staff member records its outcome. A claim is
 * decided in Redis (one claimer wins); the full phone number is given only to
 * the claimer (the list shows its last four digits). "No answer" puts the
 * call back in the queue for a later try, up to three tries.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';

/** An item is kept this long after its outcome (the record of what was done). */
const ITEM_TTL_MS = 90 * 86_400_000;
/** "No answer": try again this much later, at most this many tries in all. */
const RETRY_AFTER_MS = 2 * 3_600_000;
const MAX_TRIES = 3;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const CALLBACK_OUTCOMES = ['reached', 'no_answer', 'wrong_number', 'not_needed'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

const callbackSchema = z
  .object({
    id: z.string(),
    channelId: z.string(),
    customerId: z.string(),
    phone: z.string(),
    locale: z.string(),
    ticketNumber: z.string().optional(),
    requestedAt: z.string(),
    dueBy: z.string(),
    claimedBy: z.string().optional(),
    tries: z.number().int().min(0),
    outcome: z.enum(CALLBACK_OUTCOMES).optional(),
    note: z.string().max(2000).optional(),
    closedAt: z.string().optional(),
  })
  .strict();
export type CallbackItem = z.infer<typeof callbackSchema>;

export type ClaimResult = { ok: true; item: CallbackItem } | { ok: false; reason: 'unknown' | 'taken' | 'closed'; by?: string };

export class CallbackQueue {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly now: () => Date,
    /** The first try of each call-back, and whether it was made by the time promised (the supervisors' reports). */
    private readonly firstTry: (onTime: boolean) => void = () => undefined,
  ) {}

  async add(request: Omit<CallbackItem, 'id' | 'requestedAt' | 'tries' | 'dueBy'> & { dueBy: Date }): Promise<CallbackItem> {
    const item: CallbackItem = callbackSchema.parse({ ...request, id: randomUUID(), requestedAt: this.now().toISOString(), dueBy: request.dueBy.toISOString(), tries: 0 });
    await this.backend.writeDocument(this.keys.callback(item.id), { eTag: randomUUID(), json: JSON.stringify(item) }, undefined, ITEM_TTL_MS);
    await this.backend.schedule(this.keys.callbacksDue(), item.id, request.dueBy.getTime());
    return item;
  }

  /** Open call-backs, soonest due first. */
  async open(limit = 500): Promise<CallbackItem[]> {
    const ids = await this.backend.due(this.keys.callbacksDue(), Number.MAX_SAFE_INTEGER, limit);
    const items = await Promise.all(ids.map((id) => this.get(id)));
    return items.filter((i): i is CallbackItem => i !== undefined && !i.outcome);
  }

  async get(id: string): Promise<CallbackItem | undefined> {
    return (await this.read(id))?.item;
  }

  private async read(id: string): Promise<{ item: CallbackItem; eTag: string } | undefined> {
    if (!ID.test(id)) return undefined;
    const [doc] = await this.backend.readDocuments([this.keys.callback(id)]);
    return doc ? { item: callbackSchema.parse(JSON.parse(doc.json)), eTag: doc.eTag } : undefined;
  }

  /** Takes the call: exactly one staff member wins (compare-and-set on the stored item). */
  async claim(id: string, staff: string): Promise<ClaimResult> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const read = await this.read(id);
      if (!read) return { ok: false, reason: 'unknown' };
      const { item, eTag } = read;
      if (item.outcome) return { ok: false, reason: 'closed' };
      if (item.claimedBy && item.claimedBy !== staff) return { ok: false, reason: 'taken', by: item.claimedBy };
      const claimed = { ...item, claimedBy: staff };
      if (await this.swap(id, eTag, claimed)) return { ok: true, item: claimed };
    }
    return { ok: false, reason: 'taken' };
  }

  /** What came of the call; only the claimer records it. "No answer" comes back later, until the last try. */
  async record(id: string, staff: string, outcome: CallbackOutcome, note?: string): Promise<CallbackItem | 'unknown' | 'not_yours'> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const read = await this.read(id);
      if (!read) return 'unknown';
      const { item, eTag } = read;
      if (item.claimedBy !== staff || item.outcome) return 'not_yours';
      const tries = item.tries + 1;
      const again = outcome === 'no_answer' && tries < MAX_TRIES;
      const at = this.now();
      const next: CallbackItem = again
        ? { ...item, tries, claimedBy: undefined, note, dueBy: new Date(at.getTime() + RETRY_AFTER_MS).toISOString() }
        : { ...item, tries, outcome, note, closedAt: at.toISOString() };
      if (!(await this.swap(id, eTag, next))) continue;
      if (tries === 1) this.firstTry(at.getTime() <= Date.parse(item.dueBy));
      if (again) await this.backend.schedule(this.keys.callbacksDue(), id, Date.parse(next.dueBy));
      else await this.backend.unschedule(this.keys.callbacksDue(), id);
      return next;
    }
    return 'not_yours';
  }

  /** Replaces the stored item only if nobody changed it since it was read (the store's compare-and-set on its eTag). */
  private async swap(id: string, eTag: string, next: CallbackItem): Promise<boolean> {
    const written = await this.backend.writeDocument(this.keys.callback(id), { eTag: randomUUID(), json: JSON.stringify(callbackSchema.parse(next)) }, eTag, ITEM_TTL_MS);
    return written === 'written';
  }
}
