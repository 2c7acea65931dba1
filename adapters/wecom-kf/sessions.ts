/**
 * A kf customer's session as our side keeps it: which session this is (the
 * conversation id changes when a session ends, so the customer is greeted
 * afresh next time, as the platform starts a new session) and whether WeCom's
 * own people hold it (then the bot stays silent). Kept in Redis so every
 * instance agrees.
 */
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';

interface SessionRecord {
  epoch: number;
  withPeople: boolean;
}

const TTL_MS = 30 * 86_400_000;

export class KfSessions {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
  ) {}

  private async read(customerId: string): Promise<SessionRecord> {
    const raw = await this.backend.get(this.keys.wecomSession(customerId));
    if (!raw) return { epoch: 0, withPeople: false };
    const parsed = JSON.parse(raw) as Partial<SessionRecord>;
    return { epoch: Number(parsed.epoch) || 0, withPeople: parsed.withPeople === true };
  }

  private write(customerId: string, record: SessionRecord): Promise<boolean> {
    return this.backend.set(this.keys.wecomSession(customerId), JSON.stringify(record), { ttlMs: TTL_MS });
  }

  /** The customer's current session: its conversation id, and whether WeCom's people hold it (one read). */
  async current(customerId: string): Promise<KfSession> {
    return sessionOf(customerId, await this.read(customerId));
  }

  /** WeCom's servicers (or their waiting pool) have the session: the bot is silent. */
  async handedToPeople(customerId: string): Promise<void> {
    const record = await this.read(customerId);
    await this.write(customerId, { ...record, withPeople: true });
  }

  /** The session ended on the platform: the next message starts a new one with the bot (returned). */
  async ended(customerId: string): Promise<KfSession> {
    const record = { epoch: (await this.read(customerId)).epoch + 1, withPeople: false };
    await this.write(customerId, record);
    return sessionOf(customerId, record);
  }
}

export interface KfSession {
  conversationId: string;
  withPeople: boolean;
}

const sessionOf = (customerId: string, { epoch, withPeople }: SessionRecord): KfSession => ({
  conversationId: epoch === 0 ? customerId : `${customerId}#${epoch}`,
  withPeople,
});
