/** The intake's questions and summary as messages, in the turn's language (all text from content). */
import { MessageFactory, type Activity } from 'botbuilder';
import type { Translator } from '../../bot/content/i18n';
import { SUPPORTED_LOCALES, type SupportedLocale } from '../../bot/content/schemas';
import { formatAmount, formatDate, maskPhone } from '../../bot/content/format';
import { INTAKE_FIELDS, type ComplaintPolicy, type IntakeField } from '../../bot/tickets/policy';
import type { IntakeRecord, Step } from './record';
import { summaryCard } from './cards';

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

  question(locale: SupportedLocale, step: Step, record: IntakeRecord, retry = false): Partial<Activity> {
    const lead = retry ? this.retryText(locale, step) : undefined;
    switch (step) {
      case 'category': {
        const ids = Object.keys(this.policy.categories);
        return MessageFactory.suggestedActions(ids.map((id) => this.categoryName(locale, id)), lead ?? this.t(locale, 'ask.category'));
      }
      case 'consent':
        return MessageFactory.suggestedActions(
          [this.t(locale, 'answer.agree'), this.t(locale, 'answer.decline')],
          lead ?? this.t(locale, 'ask.consent', { years: this.policy.intake.retentionYears }),
        );
      case 'financialConsent':
        return MessageFactory.suggestedActions(
          [this.t(locale, 'answer.agree'), this.t(locale, 'answer.decline')],
          lead ?? this.t(locale, 'ask.financialConsent', { tail: record.cardTail }),
        );
      case 'amount':
        return MessageFactory.suggestedActions([this.t(locale, 'answer.none')], lead ?? this.t(locale, 'ask.amount'));
      case 'contact':
        return MessageFactory.suggestedActions([this.t(locale, 'answer.anonymous')], lead ?? this.t(locale, 'ask.contact'));
      default:
        return MessageFactory.text(lead ?? this.t(locale, `ask.${step}`));
    }
  }

  private retryText(locale: SupportedLocale, step: Step): string {
    if (step === 'consent' || step === 'financialConsent') return this.t(locale, 'reask.yesNo');
    return this.t(locale, `reask.${step}`);
  }

  wishText(locale: SupportedLocale, wish: string): string {
    return ['refund', 'compensation', 'apology'].includes(wish) ? this.t(locale, `wish.${wish}`) : wish;
  }

  /**
   * The summary before submission: an Adaptive Card on channels that show cards, and the same rows as plain
   * lines in `text` (one per field, no empty lines) for channels that do not, and for anything reading text.
   */
  summary(locale: SupportedLocale, r: IntakeRecord): Partial<Activity> {
    const rows = this.summaryRows(locale, r);
    const note = this.t(locale, 'confirm.prompt');
    const text = [this.t(locale, 'summary.title'), ...rows.map((row) => this.t(locale, row.line, { value: row.value })), note].join('\n');
    const attachment = summaryCard(
      { title: this.t(locale, 'card.summaryTitle'), rows: rows.map((row) => ({ label: this.t(locale, `card.label.${row.label}`), value: row.cardValue ?? row.value })), note },
      text,
    );
    const activity = MessageFactory.suggestedActions([this.t(locale, 'confirm.submit'), this.t(locale, 'confirm.edit')], text);
    return { ...activity, attachments: [attachment] };
  }

  private summaryRows(locale: SupportedLocale, r: IntakeRecord): SummaryRow[] {
    const tz = this.policy.timeLimits.timezone;
    const rows: SummaryRow[] = [];
    const add = (key: string, value: string) => rows.push({ line: `summary.${key}`, label: key, value });
    if (r.category) add('category', this.categoryName(locale, r.category));
    if (r.description) add('what', r.description.length > 120 ? `${r.description.slice(0, 120)}…` : r.description);
    if (r.occurredAt) {
      // The date, with the customer's own words for the time of day ("昨天下午") rather than a made-up hour.
      const date = formatDate(r.occurredAt, locale, tz);
      add('when', !r.occurredText ? date : locale === 'en' ? `${date} (${r.occurredText})` : `${date}（${r.occurredText}）`);
    }
    const branch = r.branch ? this.policy.branches.find((b) => b.id === r.branch)?.name[locale] : undefined;
    if (branch) add('where', branch);
    if (r.amount) add('amount', formatAmount(r.amount, locale));
    if (r.wish) add('wish', this.wishText(locale, r.wish));
    if (r.phone) add('contact', maskPhone(r.phone));
    // Anonymous: the plain line is a whole sentence of its own ("联系方式：匿名"); the card splits label and value.
    else rows.push({ line: 'summary.anonymous', label: 'anonymous', value: this.t(locale, 'card.anonymousValue') });
    if (r.cardTail && r.financialConsent) rows.push({ line: 'summary.card', label: 'card', value: r.cardTail, cardValue: this.t(locale, 'card.cardTail', { value: r.cardTail }) });
    return rows;
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
