/** Withdrawing a complaint, with confirmation; the record is kept as "withdrawn". */
import { MessageFactory } from 'botbuilder';
import { ComponentDialog, TextPrompt, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Translator } from '../bot/content/i18n';
import type { TicketService } from '../bot/tickets/service';
import { OPEN_STATUSES } from '../bot/tickets/state-machine';
import { turnLocaleOf } from '../bot/turn/turn-info';
import type { AnswerWords } from './words';
import { TICKET_NUMBER } from './progress-dialog';

export const WITHDRAW_DIALOG = 'withdraw';
const STEPS = 'withdraw.steps';
const WHICH = 'withdraw.which';
const CONFIRM = 'withdraw.confirm';

export class WithdrawDialog extends ComponentDialog {
  constructor(
    private readonly tickets: TicketService,
    private readonly translator: Translator,
    private readonly words: AnswerWords,
  ) {
    super(WITHDRAW_DIALOG);
    this.addDialog(new TextPrompt(WHICH, async (p) => TICKET_NUMBER.test(p.recognized.value ?? '')));
    this.addDialog(new TextPrompt(CONFIRM, async (p) => this.words.yesNo(p.recognized.value) !== undefined || this.isLabel(p.context, p.recognized.value)));
    this.addDialog(new WaterfallDialog(STEPS, [(s) => this.which(s), (s) => this.confirm(s), (s) => this.apply(s)]));
    this.initialDialogId = STEPS;
  }

  private t(step: WaterfallStepContext, key: string, vars?: Record<string, unknown>): string {
    return this.translator.t(turnLocaleOf(step.context), `progress:withdraw.${key}`, vars);
  }

  private isLabel(context: WaterfallStepContext['context'], text: string | undefined): boolean {
    const locale = turnLocaleOf(context);
    return [this.translator.t(locale, 'progress:withdraw.yes'), this.translator.t(locale, 'progress:withdraw.no')].includes(text?.trim() ?? '');
  }

  private async which(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { channelId, from } = step.context.activity;
    const open = (await this.tickets.listByCustomer(channelId, from.id)).filter((t) => OPEN_STATUSES.includes(t.status));
    if (open.length === 0) {
      await step.context.sendActivity(this.t(step, 'none'));
      return step.endDialog();
    }
    if (open.length === 1) return step.next(open[0]!.number);
    const prompt = MessageFactory.suggestedActions(open.slice(0, 5).map((t) => t.number), this.t(step, 'which'));
    return step.prompt(WHICH, { prompt, retryPrompt: prompt });
  }

  private async confirm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const number = (TICKET_NUMBER.exec(String(step.result))?.[0] ?? '').toUpperCase();
    const { channelId, from } = step.context.activity;
    const ticket = await this.tickets.findForCustomer(channelId, from.id, number);
    if (!ticket || !OPEN_STATUSES.includes(ticket.status)) {
      await step.context.sendActivity(this.translator.t(turnLocaleOf(step.context), 'progress:notFound'));
      return step.endDialog();
    }
    (step.values as { number?: string }).number = number;
    const prompt = MessageFactory.suggestedActions([this.t(step, 'yes'), this.t(step, 'no')], this.t(step, 'confirm', { number }));
    return step.prompt(CONFIRM, { prompt, retryPrompt: prompt });
  }

  private async apply(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const number = (step.values as { number?: string }).number ?? "";
    const answer = String(step.result);
    const yes = answer.trim() === this.t(step, 'yes') || (answer.trim() !== this.t(step, 'no') && this.words.yesNo(answer) === true);
    if (!yes) {
      await step.context.sendActivity(this.t(step, 'kept', { number }));
      return step.endDialog();
    }
    await this.tickets.transition(number, 'withdrawn', 'customer', 'withdrawn by the customer in chat');
    await step.context.sendActivity(this.t(step, 'done', { number }));
    return step.endDialog();
  }
}
