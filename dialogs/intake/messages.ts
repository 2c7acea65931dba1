/** The intake's questions and summary as messages, in the turn's language (all text from content). */
import { MessageFactory, type Activity } from 'botbuilder';
import type { Translator } from '../../bot/content/i18n';
import { SUPPORTED_LOCALES, type SupportedLocale } from '../../bot/content/schemas';
import { formatAmount, formatDate, maskPhone } from '../../bot/content/format';
import { INTAKE_FIELDS, type ComplaintPolicy, type IntakeField } from '../../bot/tickets/policy';
import type { IntakeRecord, Step } from './record';
import { summaryCard } from './cards';
import { categoryChoices } from './answers';
import { formatGiven } from './dates';
import { WISH_IDS } from '../../bot/intake/extract';

/** Questions the customer may leave out by saying "跳过" (contact: by staying anonymous). */
const SKIPPABLE: readonly string[] = ['category', 'when', 'amount', 'wish', 'contact'];

/** One field of the summary: the key of its plain line (`summary.*`), of its card label (`card.label.*`), and the value. */
interface SummaryRow {
  line: string;
  label: string;
  value: string;
  /** The value on the card when it differs from the plain line's ("尾号 1234"). */
  cardValue?: string;
}

export class IntakeMessages {
  constructor(
    private readonly translator: Translator,
    private readonly policy: ComplaintPolicy,
  ) {}

  private t(locale: SupportedLocale, key: string, vars?: Record<string, unknown>): string {
    return this.translator.t(locale, `intake:${key}`, vars);
  }

  categoryName(locale: SupportedLocale, id: string): string {
    return this.t(locale, `category.${id}`);
  }

  /** The question for a step; a repeated one (`retry`) says what was wrong, and after two unusable answers (`wayForward`) how to move on. */
  question(locale: SupportedLocale, step: Step, record: IntakeRecord, retry = false, wayForward = false, lead?: string): Partial<Activity> {
    const { text, buttons } = this.questionParts(locale, step, record, lead ?? (retry ? this.retryText(locale, step) : undefined));
    if (!wayForward) return buttons.length > 0 ? MessageFactory.suggestedActions(buttons, text) : MessageFactory.text(text);
    const skippable = SKIPPABLE.includes(step);
    const more = [...(skippable && step !== 'contact' ? [this.t(locale, 'answer.skip')] : []), this.t(locale, 'answer.person')];
    return MessageFactory.suggestedActions([...buttons, ...more], `${text}\n${this.t(locale, skippable ? 'wayForward.skip' : 'wayForward.choose')}`);
  }

  private questionParts(locale: SupportedLocale, step: Step, record: IntakeRecord, lead?: string): { text: string; buttons: string[] } {
    const agree = [this.t(locale, 'answer.agree'), this.t(locale, 'answer.decline')];
    switch (step) {
      case 'category':
        return { text: lead ?? this.t(locale, 'ask.category'), buttons: categoryChoices(record, this.policy).map((id) => this.reasonName(locale, id)) };
      case 'consent':
        return { text: lead ?? this.t(locale, 'ask.consent', { years: this.policy.intake.retentionYears }), buttons: agree };
      case 'financialConsent':
        return { text: lead ?? this.t(locale, 'ask.financialConsent', { tail: record.cardTail }), buttons: agree };
      case 'amount':
        return { text: lead ?? this.t(locale, 'ask.amount'), buttons: [this.t(locale, 'answer.none')] };
      case 'contact':
        return { text: lead ?? this.t(locale, 'ask.contact'), buttons: [this.t(locale, 'answer.anonymous')] };
      default:
        return { text: lead ?? this.t(locale, `ask.${step}`), buttons: [] };
    }
  }

  reasonName(locale: SupportedLocale, id: string): string {
    return this.t(locale, `reason.${id}`);
  }

  private retryText(locale: SupportedLocale, step: Step): string {
    if (step === 'consent' || step === 'financialConsent') return this.t(locale, 'reask.yesNo');
    return this.t(locale, `reask.${step}`);
  }

  wishText(locale: SupportedLocale, wish: string): string {
    return WISH_IDS.includes(wish) ? this.t(locale, `wish.${wish}`) : wish;
  }

  /**
   * The summary before submission: an Adaptive Card on channels that show cards, and the same rows as plain
   * lines in `text` (one per field, no empty lines) for channels that do not, and for anything reading text.
   */
  summary(locale: SupportedLocale, r: IntakeRecord, wayForward = false): Partial<Activity> {
    const rows = this.summaryRows(locale, r);
    const note = wayForward ? `${this.t(locale, 'confirm.prompt')}\n${this.t(locale, 'wayForward.choose')}` : this.t(locale, 'confirm.prompt');
    const text = [this.t(locale, 'summary.title'), ...rows.map((row) => this.t(locale, row.line, { value: row.value })), note].join('\n');
    const attachment = summaryCard(
      { title: this.t(locale, 'card.summaryTitle'), rows: rows.map((row) => ({ label: this.t(locale, `card.label.${row.label}`), value: row.cardValue ?? row.value })), note },
      text,
    );
    const choices = [this.t(locale, 'confirm.submit'), this.t(locale, 'confirm.edit'), ...(wayForward ? [this.t(locale, 'answer.person')] : [])];
    const activity = MessageFactory.suggestedActions(choices, text);
    return { ...activity, attachments: [attachment] };
  }

  private summaryRows(locale: SupportedLocale, r: IntakeRecord): SummaryRow[] {
    const tz = this.policy.timeLimits.timezone;
    const rows: SummaryRow[] = [];
    const add = (key: string, value: string) => rows.push({ line: `summary.${key}`, label: key, value });
    const kind = this.kindText(locale, r);
    if (kind) add('category', kind);
    if (r.description) add('what', r.description.length > 120 ? `${r.description.slice(0, 120)}…` : r.description);
    const when = this.whenText(locale, r, tz);
    if (when) add('when', when);
    const branch = r.branch ? this.policy.branches.find((b) => b.id === r.branch)?.name[locale] : undefined;
    if (branch) add('where', branch);
    if (r.amount) add('amount', formatAmount(r.amount, locale));
    if (r.thirdParty) add('thirdParty', r.thirdParty);
    if (r.wish) add('wish', this.wishText(locale, r.wish));
    if (r.phone) add('contact', maskPhone(r.phone));
    // Anonymous: the plain line is a whole sentence of its own ("联系方式：匿名"); the card splits label and value.
    else rows.push({ line: 'summary.anonymous', label: 'anonymous', value: this.t(locale, 'card.anonymousValue') });
    if (r.cardTail && r.financialConsent) rows.push({ line: 'summary.card', label: 'card', value: r.cardTail, cardValue: this.t(locale, 'card.cardTail', { value: r.cardTail }) });
    return rows;
  }

  /** What the complaint is about: the business line and the reason when read, else the nature category. */
  private kindText(locale: SupportedLocale, r: IntakeRecord): string | undefined {
    const parts = [r.line && r.line !== 'other' ? this.t(locale, `line.${r.line}`) : undefined, r.reason && r.reason !== 'other' ? this.reasonName(locale, r.reason) : undefined];
    const named = parts.filter((p): p is string => Boolean(p));
    if (named.length > 0) return named.join(locale === 'en' ? ', ' : '，');
    return r.category ? this.categoryName(locale, r.category) : r.reason ? this.reasonName(locale, r.reason) : undefined;
  }

  /** When, no finer than the customer said it: a day (with their words for the time of day), a month, a year, a period, or their words. */
  private whenText(locale: SupportedLocale, r: IntakeRecord, tz: string): string | undefined {
    const own = (date: string) => (!r.occurredText ? date : locale === 'en' ? `${date} (${r.occurredText})` : `${date}（${r.occurredText}）`);
    if (r.occurredOn && r.occurredUntil) return this.t(locale, 'period', { from: formatGiven(r.occurredOn, locale), to: formatGiven(r.occurredUntil, locale) });
    // A single day as before: the date, with the customer's own words ("昨天下午") rather than a made-up hour.
    if (r.occurredAt) return own(formatDate(r.occurredAt, locale, tz));
    // A month or a year: with the customer's words when they were relative ("上个月"), not when they were the date itself.
    if (r.occurredOn) return r.occurredText && !/\d/.test(r.occurredText) ? own(formatGiven(r.occurredOn, locale)) : formatGiven(r.occurredOn, locale);
    return r.occurredText;
  }

  /** How to move on from a question with fixed answers: say it differently, or a person. */
  wayForward(locale: SupportedLocale): Partial<Activity> {
    return MessageFactory.suggestedActions([this.t(locale, 'answer.person')], this.t(locale, 'wayForward.choose'));
  }

  /** After three unusable answers to the summary: every way forward, not the summary again. */
  stuckConfirm(locale: SupportedLocale): Partial<Activity> {
    return MessageFactory.suggestedActions([this.t(locale, 'confirm.submit'), this.t(locale, 'confirm.edit'), this.t(locale, 'answer.person')], this.t(locale, 'stuck.confirm'));
  }

  resumeQuestion(locale: SupportedLocale): Partial<Activity> {
    return MessageFactory.suggestedActions([this.t(locale, 'resume.continue'), this.t(locale, 'resume.restart')], this.t(locale, 'resume.ask'));
  }

  /** The field whose label (in any language) the customer tapped. */
  fieldByLabel(text: string): IntakeField | undefined {
    return INTAKE_FIELDS.find((f) => SUPPORTED_LOCALES.some((l) => this.t(l, `field.${f}`) === text.trim()));
  }

  editChoices(locale: SupportedLocale): Partial<Activity> {
    return MessageFactory.suggestedActions(INTAKE_FIELDS.map((f) => this.t(locale, `field.${f}`)), this.t(locale, 'confirm.which'));
  }
}
