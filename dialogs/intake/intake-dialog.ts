/**
 * Takes a complaint without making the customer repeat themselves: whatever
 * they already said fills the record; only what is missing is asked, one
 * question per turn; a summary is confirmed (any field can be corrected by
 * saying so); consent is asked before personal data is kept, and separately
 * for account details; then the ticket is created (or merged into the same
 * open matter) and the customer is told the number and the promised date.
 * The state lives in dialog state (Redis), so a half-finished complaint
 * survives restarts and silence; after a long pause the customer is asked
 * whether to continue.
 */
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import type { Translator } from '../../bot/content/i18n';
import type { ComplaintExtractor } from '../../bot/intake/extract';
import type { ComplaintPolicy } from '../../bot/tickets/policy';
import type { PreferenceStore } from '../../bot/turn/preferences';
import { turnLocaleOf } from '../../bot/turn/turn-info';
import { AnswerWords } from '../words';
import { IntakeMessages } from './messages';
import { clearField, nextStep, type IntakeRecord, type Step } from './record';
import { FieldAnswers, hasWords } from './answers';
import { giveUp } from './stuck';
import { StoryReader } from './story-reader';
import { IntakeSubmitter, type IntakeSubmitResult } from './submit';

export const INTAKE_DIALOG = 'intake';

type Pending = Step | 'confirm' | 'editWhich' | 'sameMatter' | 'resume';

interface IntakeState {
  record: IntakeRecord;
  pending?: Pending;
  /** What was pending when the resume question interrupted. */
  before?: Pending;
  questions: number;
  /** Unusable answers in a row to the pending question: after two the customer is told how to move on, after three it is not asked again. */
  misses?: number;
  lastTouched: number;
  sameMatterNumber?: string;
}

export interface IntakeOptions {
  /** What the customer already wrote (their first message), if anything. */
  story?: string;
  /** Pictures the customer sent before the complaint started. */
  evidence?: IntakeRecord['evidence'];
}

export interface IntakeDeps {
  translator: Translator;
  extractor: ComplaintExtractor;
  policy: ComplaintPolicy;
  submitter: IntakeSubmitter;
  preferences: PreferenceStore;
  now?: () => Date;
}

export class IntakeDialog extends Dialog<IntakeOptions> {
  private readonly messages: IntakeMessages;
  private readonly words: AnswerWords;
  private readonly fields: FieldAnswers;
  private readonly reader: StoryReader;
  private readonly now: () => Date;

  constructor(private readonly deps: IntakeDeps) {
    super(INTAKE_DIALOG);
    this.messages = new IntakeMessages(deps.translator, deps.policy);
    this.words = new AnswerWords(deps.policy.intake.words);
    this.fields = new FieldAnswers(deps.extractor, this.words, deps.policy, (l, key) => deps.translator.t(l, `intake:${key}`));
    this.now = deps.now ?? (() => new Date());
    this.reader = new StoryReader(deps.extractor, deps.translator, this.now);
  }

  override async beginDialog(dc: DialogContext, options?: IntakeOptions): Promise<DialogTurnResult> {
    const state: IntakeState = { record: { evidence: [...(options?.evidence ?? [])], texts: [] }, questions: 0, lastTouched: this.now().getTime() };
    dc.activeDialog!.state = state;
    const locale = turnLocaleOf(dc.context);
    if (options?.story) {
      await this.reader.read(dc.context, state.record, options.story, false);
      await dc.context.sendActivity(this.deps.translator.t(locale, 'intake:empathy'));
    } else {
      state.record.description = undefined;
      await dc.context.sendActivity(this.deps.translator.t(locale, 'intake:start'));
      state.pending = 'description';
      state.questions++;
      return Dialog.EndOfTurn;
    }
    return this.advance(dc, state);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as IntakeState;
    const { activity } = dc.context;
    if (activity.type !== 'message') return Dialog.EndOfTurn;
    const now = this.now().getTime();
    const stale = now - state.lastTouched > this.deps.policy.intake.resumeAfterMinutes * 60_000;
    state.lastTouched = now;
    if (stale && state.pending !== 'resume') return this.askResume(dc, state);
    for (const a of activity.attachments ?? []) state.record.evidence.push({ kind: a.contentType, url: a.contentUrl, name: a.name });
    return this.answer(dc, state, activity.text?.trim() ?? '');
  }

  override async resumeDialog(dc: DialogContext): Promise<DialogTurnResult> {
    // Back from "talk to a person": carry on where we were.
    await this.repromptDialog(dc.context, dc.activeDialog!);
    return Dialog.EndOfTurn;
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    const state = instance.state as IntakeState;
    if (state.pending) await this.ask(context, state, state.pending, false, false);
  }

  private async answer(dc: DialogContext, state: IntakeState, text: string): Promise<DialogTurnResult> {
    const { record } = state;
    const locale = turnLocaleOf(dc.context);
    switch (state.pending) {
      case 'resume':
        if (this.words.yesNo(text) === false) return this.restart(dc);
        state.pending = state.before;
        return this.advance(dc, state);
      case 'description':
        if (text.length < 4 || !hasWords(text)) return this.miss(dc, state, 'description', text);
        await this.reader.read(dc.context, state.record, text, false);
        // They answered "what happened?": even a short answer is their account.
        record.description ??= record.texts.at(-1);
        break;
      case 'category':
      case 'when':
      case 'amount':
      case 'wish':
      case 'contact': {
        const step = state.pending;
        const outcome = this.fields.apply(step, text, record, locale, this.now());
        if (outcome === 'future') return this.miss(dc, state, 'when', text, this.deps.translator.t(locale, 'intake:reask.future'));
        if (outcome === 'retry') return this.miss(dc, state, step, text);
        if (outcome === 'skipped') await dc.context.sendActivity(this.deps.translator.t(locale, 'intake:skipped'));
        break;
      }
      case 'consent':
      case 'financialConsent': {
        const yes = this.words.yesNo(text);
        if (yes === undefined) return this.miss(dc, state, state.pending, text);
        if (state.pending === 'consent') {
          record.consent = yes;
          if (!yes) {
            record.phone = null; // no consent: nothing personal is kept; the complaint goes on anonymously
            await dc.context.sendActivity(this.deps.translator.t(locale, 'intake:declined'));
          }
        } else {
          record.financialConsent = yes;
          if (!yes) await dc.context.sendActivity(this.deps.translator.t(locale, 'intake:financialDeclined'));
        }
        break;
      }
      case 'confirm':
        return this.onConfirm(dc, state, text);
      case 'editWhich': {
        const field = this.words.fieldIn(text) ?? this.messages.fieldByLabel(text);
        if (!field) return this.miss(dc, state, 'editWhich', text);
        clearField(record, field);
        // Ask exactly what they want to change, even a field that is otherwise optional (an amount).
        return this.ask(dc.context, state, field, false);
      }
      case 'sameMatter': {
        const yes = this.words.yesNo(text);
        if (yes === undefined) return this.miss(dc, state, 'sameMatter', text);
        return this.finish(dc, state, await this.deps.submitter.submit(dc.context, record, state.questions, yes ? state.sameMatterNumber : undefined, true));
      }
      default:
        await this.reader.read(dc.context, state.record, text, false);
    }
    return this.advance(dc, state);
  }

  private async onConfirm(dc: DialogContext, state: IntakeState, text: string): Promise<DialogTurnResult> {
    if (this.words.is('submit', text)) {
      const result = await this.deps.submitter.submit(dc.context, state.record, state.questions, undefined, false);
      if (result.kind === 'askSameMatter') {
        state.sameMatterNumber = result.ticket.number;
        state.pending = 'sameMatter';
        state.questions++;
        await dc.context.sendActivity(result.question);
        return Dialog.EndOfTurn;
      }
      return this.finish(dc, state, result);
    }
    if (this.words.is('edit', text)) return this.ask(dc.context, state, 'editWhich', false);
    const field = this.words.fieldIn(text);
    // "电话写错了，是13912345678" / "change the amount to 300 yuan": take the new value if it is there.
    const changed = await this.reader.read(dc.context, state.record, text, true, false);
    if (field && !changed.some((c) => sameField(c, field))) {
      clearField(state.record, field);
      return this.ask(dc.context, state, field, false);
    }
    if (!field && changed.length === 0) return this.miss(dc, state, 'confirm', text);
    return this.advance(dc, state);
  }

  private async finish(dc: DialogContext, state: IntakeState, result: IntakeSubmitResult): Promise<DialogTurnResult> {
    if (result.kind === 'askSameMatter') return Dialog.EndOfTurn;
    await dc.context.sendActivity(result.message);
    return dc.endDialog({ ticketNumber: result.ticket.number, questions: state.questions });
  }

  /** Asks the next missing thing, or shows the summary when nothing is missing. */
  private async advance(dc: DialogContext, state: IntakeState): Promise<DialogTurnResult> {
    const step = nextStep(state.record, this.deps.policy);
    return this.ask(dc.context, state, step ?? 'confirm', false);
  }

  private async ask(context: TurnContext, state: IntakeState, pending: Pending, retry: boolean, count = true, lead?: string): Promise<DialogTurnResult> {
    const locale = turnLocaleOf(context);
    if (state.pending !== pending) state.misses = 0;
    state.pending = pending;
    if (count) state.questions++;
    const wayForward = (state.misses ?? 0) >= 2;
    if (pending === 'confirm') await context.sendActivity(this.messages.summary(locale, state.record, wayForward));
    else if (pending === 'editWhich') await context.sendActivity(this.messages.editChoices(locale));
    else if (pending === 'resume') await context.sendActivity(this.messages.resumeQuestion(locale));
    else if (pending === 'sameMatter') await context.sendActivity(await this.deps.submitter.sameMatterQuestion(context, state.sameMatterNumber ?? ''));
    else await context.sendActivity(this.messages.question(locale, pending, state.record, retry, wayForward, lead));
    if (wayForward && (pending === 'editWhich' || pending === 'sameMatter')) await context.sendActivity(this.messages.wayForward(locale));
    return Dialog.EndOfTurn;
  }

  /**
   * An answer the bot cannot use. The question is asked again; after the second such answer it also says how
   * to move on (skip, say it differently, a person); after the third it is not asked again: the step is left
   * as the customer left it (stuck.ts) and the intake goes on, so nobody is kept in a loop.
   */
  private async miss(dc: DialogContext, state: IntakeState, step: Pending, text: string, lead?: string): Promise<DialogTurnResult> {
    state.misses = (state.misses ?? 0) + 1;
    if (state.misses < 3) return this.ask(dc.context, state, step, true, true, lead);
    const locale = turnLocaleOf(dc.context);
    const t = (key: string) => this.deps.translator.t(locale, `intake:${key}`);
    const next = giveUp(state.record, step, text, t);
    await dc.context.sendActivity(next === 'confirmChoices' ? this.messages.stuckConfirm(locale) : t(`stuck.${step}`));
    if (next === 'submitNew') return this.finish(dc, state, await this.deps.submitter.submit(dc.context, state.record, state.questions, undefined, true));
    if (next === 'confirmChoices') return Dialog.EndOfTurn;
    state.misses = 0;
    return next === 'confirm' ? this.ask(dc.context, state, 'confirm', false) : this.advance(dc, state);
  }

  private async askResume(dc: DialogContext, state: IntakeState): Promise<DialogTurnResult> {
    state.before = state.pending;
    return this.ask(dc.context, state, 'resume', false, false);
  }

  private async restart(dc: DialogContext): Promise<DialogTurnResult> {
    return dc.replaceDialog(INTAKE_DIALOG, {});
  }
}

function sameField(changedKey: string, field: string): boolean {
  return changedKey === field || (field === 'when' && changedKey === 'occurredAt') || (field === 'contact' && changedKey === 'phone');
}
