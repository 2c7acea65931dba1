/** Withdrawing a complaint, with confirmation; the record is kept as "withdrawn". */
import { MessageFactory, type TurnContext } from 'botbuilder';
import { ComponentDialog, TextPrompt, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Translator } from '../bot/content/i18n';
import type { TicketService } from '../bot/tickets/service';
import { OPEN_STATUSES } from '../bot/tickets/state-machine';
import { turnLocaleOf } from '../bot/turn/turn-info';
import type { AnswerWords } from './words';
import { TICKET_NUMBER } from './progress-dialog';
import { gaveUp, patientValidator } from './patience';

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
    this.addDialog(new TextPrompt(WHICH, async (p) => {
      const offered = (p.options.validations as { offered?: string[] } | undefined)?.offered ?? [];
      const picked = pickOffered(p.recognized.value ?? '', offered);
      if (picked) p.recognized.value = picked;
      return patientValidator(() => Boolean(picked), (c) => this.translator.t(turnLocaleOf(c), 'progress:withdraw.whichHelp'))(p);
    }));
    this.addDialog(
      new TextPrompt(
        CONFIRM,
        patientValidator(
          (text, c) => this.words.yesNo(text) !== undefined || this.isLabel(c, text),
          (c) => this.translator.t(turnLocaleOf(c), 'progress:withdraw.confirmHelp'),
        ),
      ),
    );
    this.addDialog(new WaterfallDialog(STEPS, [(s) => this.which(s), (s) => this.confirm(s), (s) => this.apply(s)]));
    this.initialDialogId = STEPS;
  }

  private t(step: WaterfallStepContext, key: string, vars?: Record<string, unknown>): string {
    return this.translator.t(turnLocaleOf(step.context), `progress:withdraw.${key}`, vars);
  }

  private isLabel(context: TurnContext, text: string | undefined): boolean {
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
    const offered = open.slice(0, 5).map((t) => t.number);
    const prompt = MessageFactory.suggestedActions(offered, this.t(step, 'which'));
    return step.prompt(WHICH, { prompt, retryPrompt: prompt, validations: { offered } });
  }

  private async confirm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (gaveUp(step.result)) return this.giveUp(step);
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
    const number = (step.values as { number?: string }).number ?? '';
    // Three answers that were neither yes nor no: nothing is withdrawn without a clear yes.
    if (gaveUp(step.result)) return this.giveUp(step, number);
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

  /** After three unusable answers: nothing changes, and the customer is told what they can do instead. */
  private async giveUp(step: WaterfallStepContext, number?: string): Promise<DialogTurnResult> {
    const lines = [number ? this.t(step, 'kept', { number }) : '', this.translator.t(turnLocaleOf(step.context), 'fallback.leaveTask')];
    await step.context.sendActivity(lines.filter(Boolean).join('\n'));
    return step.endDialog();
  }
}

/** The offered complaint a reply names: its number, its place in the list ("2", "第二个"), or its last digits. */
export function pickOffered(reply: string, offered: string[]): string | undefined {
  const number = TICKET_NUMBER.exec(reply)?.[0]?.toUpperCase();
  if (number) return number;
  const text = reply.normalize('NFKC').trim();
  const place = /^(?:第|no\.?\s*|#)?\s*([1-9一二三四五])\s*(?:个|個|条|條|号|號)?$/i.exec(text)?.[1];
  if (place) return offered['一二三四五'.includes(place) ? '一二三四五'.indexOf(place) : Number(place) - 1];
  const tail = /^\d{4,}$/.test(text) ? offered.filter((n) => n.replace(/\D/g, '').endsWith(text)) : [];
  return tail.length === 1 ? tail[0] : undefined;
}
