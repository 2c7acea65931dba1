/**
 * The turn pipeline every channel shares, in this order:
 *  observe (turn id, child logger, metrics, in-flight count for graceful shutdown)
 *  → dedupe (a platform retry never runs a second turn)
 *  → serialise (one turn at a time per conversation, across instances)
 *  → load state and choose the locale.
 */
import { randomUUID } from 'node:crypto';
import type { BotState, Middleware, TurnContext } from 'botbuilder';
import { ActivityTypes } from 'botbuilder';
import type { Logger } from '../log';
import type { BotMetrics } from '../metrics';
import { errorCodeOf } from '../errors';
import type { InboundDedupe } from './inbound-dedupe';
import type { TurnLock } from './turn-lock';
import type { PreferenceStore } from './preferences';
import { chooseLocale } from './locale';
import { conversationKeyOf, isFromInbox, setTurnId, setTurnLocale, setTurnLogger } from './turn-info';

/** Tracks turns in flight so shutdown can wait for them to finish. */
export class InFlightTurns {
  private count = 0;
  private waiters: (() => void)[] = [];

  get size(): number {
    return this.count;
  }
  enter(): void {
    this.count++;
  }
  leave(): void {
    this.count--;
    if (this.count === 0) for (const w of this.waiters.splice(0)) w();
  }
  /** Resolves true when no turn is running, false if `timeoutMs` passes first. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

export class ObserveMiddleware implements Middleware {
  constructor(
    private readonly logger: Logger,
    private readonly metrics: BotMetrics,
    private readonly inFlight: InFlightTurns,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const turnId = randomUUID();
    const { channelId, type } = context.activity;
    setTurnId(context, turnId);
    setTurnLogger(context, this.logger.child({ turnId, channel: channelId, userId: context.activity.from?.id }));
    const stop = this.metrics.turnDuration.startTimer({ channel: channelId });
    this.inFlight.enter();
    try {
      await next();
      this.metrics.turns.inc({ channel: channelId, type: type ?? 'unknown', outcome: 'ok' });
    } catch (error) {
      this.metrics.turns.inc({ channel: channelId, type: type ?? 'unknown', outcome: 'error' });
      this.metrics.errors.inc({ code: errorCodeOf(error) });
      throw error;
    } finally {
      stop();
      this.inFlight.leave();
    }
  }
}

export class DedupeMiddleware implements Middleware {
  constructor(
    private readonly dedupe: InboundDedupe,
    private readonly metrics: BotMetrics,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    // Only what customers send is deduplicated; adapters set `id` to the platform's message id.
    const inbound = activity.type === ActivityTypes.Message || activity.type === ActivityTypes.Event;
    if (inbound && activity.id && !isFromInbox(context) && !(await this.dedupe.firstSighting(activity.channelId, activity.id))) {
      this.metrics.duplicates.inc({ channel: activity.channelId });
      return;
    }
    await next();
  }
}

export class SerialiseMiddleware implements Middleware {
  constructor(private readonly lock: TurnLock) {}

  onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (isFromInbox(context)) return next(); // the inbox holds this conversation's lock already
    return this.lock.run(conversationKeyOf(context), next);
  }
}

export class LocaleMiddleware implements Middleware {
  constructor(
    private readonly states: BotState[],
    private readonly preferences: PreferenceStore,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    // Load conversation and user state together: one round trip to Redis instead of two in a row.
    await Promise.all(this.states.map((s) => s.load(context)));
    const prefs = await this.preferences.get(context);
    const text = context.activity.type === ActivityTypes.Message ? context.activity.text : undefined;
    const { locale, fromText } = chooseLocale({
      chosen: prefs.chosenLocale,
      text,
      detected: prefs.detectedLocale,
      channelLocale: context.activity.locale,
    });
    if (fromText && fromText !== prefs.detectedLocale) await this.preferences.update(context, { detectedLocale: fromText });
    setTurnLocale(context, locale);
    await next();
  }
}
