/**
 * An appeal ("申请复核 TS-…"): a customer not satisfied with the answer, within
 * the policy's window after it, says what is wrong; the complaint is reopened
 * for a different handler with its own time limit, and the customer is told.
 */
import { ComponentDialog, TextPrompt, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Translator } from '../bot/content/i18n';
import { formatDate } from '../bot/content/format';
import { maskPii } from '../bot/privacy/mask';
import { promisedDate } from '../bot/tickets/clocks';
import type { ComplaintPolicy } from '../bot/tickets/policy';
import type { TicketService } from '../bot/tickets/service';
import { turnLocaleOf } from '../bot/turn/turn-info';
import { hasWords } from './intake/answers';
import { gaveUp, patientValidator } from './patience';

export const APPEAL_DIALOG = 'appeal';
const STEPS = 'appeal.steps';
const REASON = 'appeal.reason';

export class AppealDialog extends ComponentDialog {
  constructor(
    private readonly tickets: TicketService,
    private readonly translator: Translator,
    private readonly policy: ComplaintPolicy,
    private readonly now: () => Date,
  ) {
    super(APPEAL_DIALOG);
    this.addDialog(new TextPrompt(REASON, patientValidator((text) => hasWords(text), (c) => this.translator.t(turnLocaleOf(c), 'progress:appeal.reasonHelp'))));
    this.addDialog(new WaterfallDialog(STEPS, [(s) => this.check(s), (s) => this.reopen(s)]));
    this.initialDialogId = STEPS;
  }

  private t(step: WaterfallStepContext, key: string, vars?: Record<string, unknown>): string {
    return this.translator.t(turnLocaleOf(step.context), `progress:${key}`, vars);
  }

  private async check(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const number = String((step.options as { number?: string }).number ?? '').toUpperCase();
    const { channelId, from } = step.context.activity;
    const ticket = await this.tickets.findForCustomer(channelId, from.id, number);
    if (!ticket) {
      await step.context.sendActivity(this.t(step, 'notFound'));
      return step.endDialog();
    }
    const answered = ticket.status === 'resolved' || ticket.status === 'closed' ? this.tickets.answeredAt(ticket) : undefined;
    if (!answered) {
      await step.context.sendActivity(this.t(step, 'appeal.notAnswered', { number }));
      return step.endDialog();
    }
    const days = this.policy.timeLimits.reopenWithinCalendarDays;
    if (this.now().getTime() - answered.getTime() > days * 86_400_000) {
      await step.context.sendActivity(this.t(step, 'appeal.tooLate', { number, days }));
      return step.endDialog();
    }
    (step.values as { number?: string }).number = number;
    const prompt = this.t(step, 'appeal.reason');
    return step.prompt(REASON, { prompt, retryPrompt: prompt });
  }

  private async reopen(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const number = (step.values as { number?: string }).number ?? '';
    if (gaveUp(step.result)) {
      await step.context.sendActivity([this.t(step, 'appeal.notFiled', { number }), this.translator.t(turnLocaleOf(step.context), 'fallback.leaveTask')].join('\n'));
      return step.endDialog();
    }
    const reason = maskPii(String(step.result)).text.slice(0, 1000);
    const ticket = await this.tickets.transition(number, 'reopened', 'customer', `appeal: ${reason}`);
    const date = formatDate(promisedDate(ticket.clocks), turnLocaleOf(step.context), this.policy.timeLimits.timezone);
    await step.context.sendActivity(this.t(step, 'appeal.done', { number, date }));
    return step.endDialog();
  }
}
