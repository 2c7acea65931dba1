/**
 * "Talk to a person", reachable in one step from anywhere: until the staff desk
 * exists, a call-back is arranged (on the customer's open complaint if there is
 * one) and the customer is told by when to expect the call. Whatever they were
 * doing is kept: the dialog below resumes afterwards.
 */
import { ComponentDialog, TextPrompt, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Translator } from '../bot/content/i18n';
import { formatDateTime, maskPhone } from '../bot/content/format';
import { findPhone } from '../bot/intake/extract';
import type { CallbackService } from '../bot/handoff/callbacks';
import type { ComplaintPolicy } from '../bot/tickets/policy';
import type { TicketService } from '../bot/tickets/service';
import { OPEN_STATUSES } from '../bot/tickets/state-machine';
import type { PreferenceStore } from '../bot/turn/preferences';
import { turnLocaleOf } from '../bot/turn/turn-info';
import { gaveUp, patientValidator } from './patience';
import type { HandoffRequest } from '../bot/handoff/handoff-service';
import type { HandoffLevel, RequestOutcome } from '../bot/handoff/model';

export const PERSON_DIALOG = 'person';
const STEPS = 'person.steps';
const PHONE = 'person.phone';

/** A person in this chat now (bot/handoff), when staff are on duty. */
export interface LiveHandoff {
  request(r: HandoffRequest): Promise<RequestOutcome>;
}

/** Options of the dialog: triage's level and reasons when it decided on the handoff (acknowledging the feeling first). */
export interface PersonOptions {
  level?: HandoffLevel;
  reasons?: string[];
  upset?: boolean;
}

export class PersonDialog extends ComponentDialog {
  constructor(
    private readonly callbacks: CallbackService,
    private readonly tickets: TicketService,
    private readonly preferences: PreferenceStore,
    private readonly translator: Translator,
    private readonly policy: ComplaintPolicy,
    private readonly live?: LiveHandoff,
  ) {
    super(PERSON_DIALOG);
    this.addDialog(
      new TextPrompt(
        PHONE,
        patientValidator(
          (text) => Boolean(findPhone(text)),
          (c) => this.translator.t(turnLocaleOf(c), 'person:phoneHelp'),
        ),
      ),
    );
    this.addDialog(new WaterfallDialog(STEPS, [(s) => this.tryLive(s), (s) => this.askPhone(s), (s) => this.arrange(s)]));
    this.initialDialogId = STEPS;
  }

  /**
   * A person in this chat when staff are on duty; otherwise say honestly why
   * not and arrange a call-back. Once queued, whatever ran before is over:
   * the chat is the person's, and it comes back to the bot at the menu.
   */
  private async tryLive(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (!this.live) return step.next();
    const locale = turnLocaleOf(step.context);
    const { channelId, from, conversation } = step.context.activity;
    const options = (step.options ?? {}) as PersonOptions;
    const open = (await this.tickets.listByCustomer(channelId, from.id)).find((t) => OPEN_STATUSES.includes(t.status));
    const outcome = await this.live.request({
      channelId, conversationId: conversation.id, customerId: from.id, locale,
      level: options.level ?? open?.level ?? 'general', reasons: options.reasons ?? ['asksPerson'],
      ...(open ? { ticketNumber: open.number, team: open.department } : {}),
    });
    const t = (key: string, vars?: Record<string, unknown>) => this.translator.t(locale, `handoff:${key}`, vars);
    if (outcome.queued || outcome.reason === 'alreadyQueued') {
      const lines = outcome.queued
        ? [options.upset ? t('upset') : '', t('queued', { ahead: outcome.position - 1, minutes: outcome.waitMinutes }), open ? t('ticketLinked', { number: open.number }) : '']
        : [t('alreadyQueued')];
      await step.context.sendActivity(lines.filter(Boolean).join('\n'));
      return step.cancelAllDialogs();
    }
    const { open: opens, close } = this.policy.officeHours;
    await step.context.sendActivity([options.upset ? t('upset') : '', t(outcome.reason, { open: opens, close })].filter(Boolean).join('\n'));
    return step.next();
  }

  private async askPhone(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const known = (await this.preferences.get(step.context)).phone;
    if (known) return step.next(known);
    const locale = turnLocaleOf(step.context);
    return step.prompt(PHONE, {
      prompt: this.translator.t(locale, 'person:askPhone'),
      retryPrompt: this.translator.t(locale, 'person:reaskPhone'),
    });
  }

  private async arrange(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = turnLocaleOf(step.context);
    if (gaveUp(step.result)) {
      // No number we can call: say how else to reach us, and carry on with whatever was running.
      await step.context.sendActivity(this.translator.t(locale, 'person:noPhone'));
      return step.endDialog();
    }
    const phone = findPhone(String(step.result)) ?? String(step.result);
    await this.preferences.update(step.context, { phone });
    const { channelId, from } = step.context.activity;
    const open = (await this.tickets.listByCustomer(channelId, from.id)).find((t) => OPEN_STATUSES.includes(t.status));
    const due = await this.callbacks.request({ channelId, customerId: from.id, phone, locale, ticketNumber: open?.number });
    const vars = { time: formatDateTime(due.toISOString(), locale, this.policy.officeHours.timezone), phone: maskPhone(phone), number: open?.number };
    await step.context.sendActivity(this.translator.t(locale, open ? 'person:scheduledTicket' : 'person:scheduled', vars));
    return step.endDialog();
  }
}
