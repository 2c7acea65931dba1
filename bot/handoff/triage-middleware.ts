/**
 * Triage on every customer message that reaches the bot (after the handoff
 * relay): the message and the conversation so far are scored (bot/triage);
 * when that says "a person", the chat goes to the desk at once, after
 * acknowledging the feeling — the dialogs do not run. When nobody can take it
 * (outside hours, nobody on the desk), the customer is told once in the
 * conversation that they can ask for a call-back, and the bot carries on:
 * an upset customer's complaint is still taken, at the level triage gave it.
 *
 * The conversation's triage state (score with decay, misunderstandings in a
 * row) is one small key per conversation; the menu marks a message it could
 * not place (`markNotUnderstood`), and that counts for the next message.
 */
import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { Translator } from '../content/i18n';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import type { Triage, TriageResult, TriageState } from '../triage/triage';
import { conversationKeyOf, setTriageLevel, turnLocaleOf, wasNotUnderstood, wasRepeatComplaint } from '../turn/turn-info';
import type { HandoffService } from './handoff-service';
import { afterHandoffOf } from './turn-flags';

interface ConversationTriage {
  triage?: TriageState;
  /** Messages in a row the bot could not place. */
  misses: number;
  /** The call-back was offered once already (never nag). */
  offered?: boolean;
}

/** Reasons that are feelings: the reply acknowledges them before anything else. */
const FEELINGS = ['anger', 'distress', 'anxiety', 'swearing', 'mounting'];

export class TriageMiddleware implements Middleware {
  constructor(
    private triage: Triage,
    private readonly handoff: HandoffService,
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly translator: Translator,
    private readonly ttlMs: number,
  ) {}

  /** A published content version's triage rules: the next message is scored with them (its saved state still counts). */
  retune(triage: Triage): void {
    this.triage = triage;
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const text = context.activity.type === ActivityTypes.Message ? context.activity.text?.trim() : undefined;
    if (!text) return next();
    const key = conversationKeyOf(context);
    const stateKey = this.keys.triageState(key);
    const saved = await this.backend.get(stateKey);
    const state: ConversationTriage = saved ? (JSON.parse(saved) as ConversationTriage) : { misses: 0 };
    // Back from a person: what led to the handoff was dealt with there, so the score starts afresh (the level stays:
    // a complaint filed now is still as serious). Otherwise the old anger alone would queue the chat again at once.
    if (afterHandoffOf(context)) Object.assign(state, { triage: state.triage && { score: 0, turns: 0, level: state.triage.level }, misses: 0, offered: false });
    const result = this.triage.assess({ text, notUnderstoodInARow: state.misses }, state.triage);
    state.triage = result.state;
    setTriageLevel(context, result.state.level ?? result.level);
    if (result.handoff && (await this.handOff(context, result, state))) {
      state.misses = 0;
      await this.save(stateKey, state);
      return; // the chat is the person's now: the dialogs do not answer it
    }
    await next();
    state.misses = wasNotUnderstood(context) ? state.misses + 1 : 0;
    // The intake merged this complaint into an earlier one on the same matter: a repeat complaint, scored on its own.
    if (wasRepeatComplaint(context)) {
      const repeat = this.triage.assess({ text: '', repeatComplaint: true }, state.triage);
      state.triage = repeat.state;
      if (repeat.handoff) await this.handOff(context, repeat, state);
    }
    await this.save(stateKey, state);
  }

  /**
   * Triage says "a person": queue the chat for the desk and tell the customer (true), or, when nobody can take it,
   * offer a call-back once in the conversation and let the bot carry on (false).
   */
  private async handOff(context: TurnContext, result: TriageResult, state: ConversationTriage): Promise<boolean> {
    const locale = turnLocaleOf(context);
    const t = (k: string, v?: Record<string, unknown>) => this.translator.t(locale, `handoff:${k}`, v);
    const upset = result.reasons.some((r) => FEELINGS.includes(r) || r.startsWith('threat'));
    const { channelId, conversation, from } = context.activity;
    const outcome = await this.handoff.request({ channelId, conversationId: conversation.id, customerId: from.id, locale, level: result.level, reasons: result.reasons });
    if (outcome.queued || outcome.reason === 'alreadyQueued') {
      const lines = outcome.queued ? [upset ? t('upset') : '', t('queued', { ahead: outcome.position - 1, minutes: outcome.waitMinutes })] : [t('alreadyQueued')];
      await context.sendActivity(lines.filter(Boolean).join('\n'));
      return true;
    }
    // Asking for a person is the person dialog's to answer (with the call-back), not an offer of one.
    if (!state.offered && !result.reasons.includes('asksPerson')) {
      state.offered = true;
      await context.sendActivity([upset ? t('upset') : '', t('offerCallback')].filter(Boolean).join('\n'));
    }
    return false;
  }

  private async save(key: string, state: ConversationTriage): Promise<void> {
    await this.backend.set(key, JSON.stringify(state), { ttlMs: this.ttlMs });
  }
}
