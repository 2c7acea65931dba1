/**
 * What the desk shows of chats: the queue (waiting chats most serious first,
 * then longest waiting, as the handoff service orders them), the staff
 * member's own chats, and — for supervisors — everyone else's; one chat with
 * its transcript (masked as the customer's transcript is) and canned replies in
 * the customer's language. Customers are named by a short hash, never by
 * their channel id. Who may see what: a waiting chat, anyone on the desk; a
 * chat with a person, that person and supervisors.
 */
import { createHash } from 'node:crypto';
import type { Translator } from '../content/i18n';
import type { SupportedLocale } from '../content/schemas';
import type { HandoffService } from '../handoff/handoff-service';
import type { HandoffChat, TranscriptEntry } from '../handoff/model';
import { DeskError } from './http';
import type { DeskSession } from './sessions';
import type { StaffDirectory } from './staff';

export interface ChatView extends Omit<HandoffChat, 'customerId' | 'conversationId'> {
  /** A short stable label for the customer (a hash of the channel id, which staff never see). */
  customer: string;
  /** The last line said, for the queue. */
  last?: TranscriptEntry;
}

export interface ChatDetail {
  chat: ChatView;
  transcript: TranscriptEntry[];
  /** Canned replies in the customer's language (labels are in the page's own texts). */
  canned: { id: string; text: string }[];
  names: Record<string, string>;
}

export function customerLabel(customerId: string): string {
  return createHash('sha256').update(customerId).digest('hex').slice(0, 6).toUpperCase();
}

const NAMES_TTL_MS = 15_000;

export class DeskViews {
  private names: { at: number; map: Record<string, string> } | undefined;

  constructor(
    private readonly handoff: HandoffService,
    private readonly staff: StaffDirectory,
    private readonly translator: Translator,
    private readonly canned: readonly string[],
    private readonly now: () => Date,
  ) {}

  /** `now` is the server's clock: the page measures waiting times against it, not against the laptop's own. */
  async queue(session: DeskSession): Promise<{ waiting: ChatView[]; mine: ChatView[]; others: ChatView[]; onDuty: string[]; names: Record<string, string>; now: string }> {
    const me = session.user.username;
    const [waiting, withStaff, onDuty, names] = await Promise.all([this.handoff.waiting(), this.handoff.withStaff(), this.handoff.presence.who(), this.nameMap()]);
    const mine = withStaff.filter((c) => c.claimedBy === me);
    const others = session.user.role === 'supervisor' ? withStaff.filter((c) => c.claimedBy !== me) : [];
    const [w, m, o] = await Promise.all([this.withLast(waiting), this.withLast(mine), this.withLast(others)]);
    return { waiting: w, mine: m, others: o, onDuty, names, now: this.now().toISOString() };
  }

  async chat(key: string, session: DeskSession): Promise<ChatDetail> {
    const chat = await this.handoff.get(key);
    if (!chat) throw new DeskError('CHAT_NOT_FOUND', 'no such chat', 404);
    this.mayView(chat, session);
    const locale = chat.locale as SupportedLocale;
    const [transcript, names] = await Promise.all([this.handoff.transcript(key), this.nameMap()]);
    const canned = this.canned.map((id) => ({ id, text: this.translator.t(locale, `desk:canned.${id}.text`) }));
    return { chat: view(chat), transcript, canned, names };
  }

  /** Agents see waiting chats and their own; supervisors see every chat. */
  mayView(chat: HandoffChat, session: DeskSession): void {
    if (session.user.role === 'supervisor' || chat.status === 'waiting') return;
    const me = session.user.username;
    if (chat.claimedBy === me || chat.endedBy === me) return;
    throw new DeskError('NOT_YOUR_CHAT', 'this chat is with a colleague', 403);
  }

  /** Staff names by account, refreshed every few seconds (the queue asks on every live event). */
  async nameMap(): Promise<Record<string, string>> {
    if (this.names && Date.now() - this.names.at < NAMES_TTL_MS) return this.names.map;
    const map = Object.fromEntries((await this.staff.list()).map((u) => [u.username, u.name]));
    this.names = { at: Date.now(), map };
    return map;
  }

  private withLast(chats: HandoffChat[]): Promise<ChatView[]> {
    // The customer's own last words tell staff most; the bot's line if the customer has said nothing lately.
    return Promise.all(chats.map(async (c) => {
      const recent = await this.handoff.transcript(c.key, 6);
      return { ...view(c), last: recent.filter((e) => e.from === 'customer').at(-1) ?? recent.at(-1) };
    }));
  }
}

function view(chat: HandoffChat): ChatView {
  const { customerId, conversationId: _conversation, ...rest } = chat;
  return { ...rest, customer: customerLabel(customerId) };
}
