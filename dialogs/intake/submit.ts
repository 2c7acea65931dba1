/**
 * Turns a confirmed intake record into a ticket — or adds it to the customer's
 * open complaint about the same matter — and words the answer: the number and
 * the promised date, in the customer's language.
 */
import { MessageFactory, TurnContext, type Activity } from 'botbuilder';
import type { Translator } from '../../bot/content/i18n';
import { formatDate } from '../../bot/content/format';
import { promisedDate } from '../../bot/tickets/clocks';
import type { Ticket } from '../../bot/tickets/model';
import type { ComplaintPolicy } from '../../bot/tickets/policy';
import type { TicketService } from '../../bot/tickets/service';
import type { PreferenceStore } from '../../bot/turn/preferences';
import { markRepeatComplaint, turnLocaleOf, triageLevelOf } from '../../bot/turn/turn-info';
import type { IntakeRecord } from './record';
import { receiptCard } from './cards';

export type IntakeSubmitResult =
  | { kind: 'created' | 'merged'; ticket: Ticket; message: Partial<Activity> }
  | { kind: 'askSameMatter'; ticket: Ticket; question: Partial<Activity> };

/** Why each field may be processed (个人信息保护法): complaint handling is the bank's legal duty; contact needs consent; account data separate consent. */
const LAWFUL_BASIS = {
  description: 'legal_obligation',
  category: 'legal_obligation',
  line: 'legal_obligation',
  reason: 'legal_obligation',
  thirdParty: 'legal_obligation',
  occurredAt: 'legal_obligation',
  place: 'legal_obligation',
  amount: 'legal_obligation',
  wish: 'legal_obligation',
  evidence: 'legal_obligation',
  phone: 'consent',
  cardTail: 'sensitive_separate_consent',
} as const;

export class IntakeSubmitter {
  constructor(
    private readonly tickets: TicketService,
    private readonly translator: Translator,
    private readonly policy: ComplaintPolicy,
    private readonly preferences: PreferenceStore,
  ) {}

  async submit(context: TurnContext, r: IntakeRecord, questions: number, mergeInto: string | undefined, sameMatterAnswered: boolean): Promise<IntakeSubmitResult> {
    const locale = turnLocaleOf(context);
    const { channelId, from } = context.activity;
    if (mergeInto) {
      const extra = [r.description, r.wish ? `(${r.wish})` : ''].filter(Boolean).join(' ');
      const ticket = await this.tickets.addDetails(mergeInto, 'customer', extra);
      // Telling us again about the same matter: triage may hand the chat to a person (after this receipt).
      markRepeatComplaint(context);
      return { kind: 'merged', ticket, message: this.receipt(locale, 'intake:sameMatter.merged', ticket) };
    }
    if (!sameMatterAnswered && r.category) {
      const open = await this.tickets.findOpenSameMatter(channelId, from.id, r.category);
      if (open) return { kind: 'askSameMatter', ticket: open, question: this.sameMatterActivity(locale, open) };
    }
    const at = new Date().toISOString();
    const keepPhone = r.phone && r.consent ? r.phone : undefined;
    const ticket = await this.tickets.create({
      customer: { channelId, id: from.id, phone: keepPhone, anonymous: !keepPhone, locale },
      conversationRef: TurnContext.getConversationReference(context.activity) as Record<string, unknown>,
      details: {
        category: r.category ?? 'other',
        description: r.description ?? '',
        occurredAt: r.occurredAt,
        occurredText: r.occurredText,
        occurredOn: r.occurredOn,
        occurredUntil: r.occurredUntil,
        // Unread axes count as "other" in the statistics.
        line: r.line ?? 'other',
        reason: r.reason ?? 'other',
        thirdParty: r.thirdParty,
        branch: r.branch,
        amount: r.amount ?? undefined,
        cardTail: r.financialConsent ? r.cardTail : undefined,
        wish: r.wish ?? '',
      },
      evidence: r.evidence.map((e) => ({ ...e, addedAt: at })),
      consent: {
        personalData: { given: Boolean(r.consent), at, retentionDays: this.policy.intake.retentionYears * 365 },
        ...(r.cardTail ? { financialData: { given: Boolean(r.financialConsent), at } } : {}),
      },
      lawfulBasis: LAWFUL_BASIS,
      customerTexts: r.texts,
      // Triage's level for this conversation (anger, threats, vulnerability…): the ticket is never less serious.
      atLeast: triageLevelOf(context),
      note: `intake completed after ${questions} questions`,
    });
    if (keepPhone) await this.preferences.update(context, { phone: keepPhone });
    const key = keepPhone ? 'intake:submitted' : 'intake:submittedAnonymous';
    return { kind: 'created', ticket, message: this.receipt(locale, key, ticket) };
  }

  async sameMatterQuestion(context: TurnContext, number: string): Promise<Partial<Activity>> {
    return this.sameMatterActivity(turnLocaleOf(context), await this.tickets.get(number));
  }

  private sameMatterActivity(locale: Parameters<Translator['t']>[0], open: Ticket): Partial<Activity> {
    const t = (k: string, v?: Record<string, unknown>) => this.translator.t(locale, `intake:${k}`, v);
    const date = formatDate(open.createdAt, locale, this.policy.timeLimits.timezone);
    return MessageFactory.suggestedActions([t('answer.yes'), t('answer.no')], t('sameMatter.ask', { date, number: open.number }));
  }

  /** The receipt: the sentence with the number and the promised date as text, and as a card where cards show. */
  private receipt(locale: Parameters<Translator['t']>[0], key: string, ticket: Ticket): Partial<Activity> {
    const vars = { number: ticket.number, date: this.date(ticket, locale) };
    const text = this.translator.t(locale, key, vars);
    const card = receiptCard({ title: this.translator.t(locale, 'intake:card.receiptTitle'), text, emphasise: [vars.number, vars.date] }, text);
    return { ...MessageFactory.text(text), attachments: [card] };
  }

  private date(ticket: Ticket, locale: Parameters<Translator['t']>[0]): string {
    return formatDate(promisedDate(ticket.clocks), locale, this.policy.timeLimits.timezone);
  }
}
