/** The intake's questions and summary as messages, in the turn's language (all text from content). */
import { MessageFactory, type Activity } from 'botbuilder';
import type { Translator } from '../../bot/content/i18n';
import { SUPPORTED_LOCALES, type SupportedLocale } from '../../bot/content/schemas';
import { formatAmount, formatDate, maskPhone } from '../../bot/content/format';
import { INTAKE_FIELDS, type ComplaintPolicy, type IntakeField } from '../../bot/tickets/policy';
import type { IntakeRecord, Step } from './record';

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

  summary(locale: SupportedLocale, r: IntakeRecord): Partial<Activity> {
    const tz = this.policy.timeLimits.timezone;
    const lines = [this.t(locale, 'summary.title')];
    if (r.category) lines.push(this.t(locale, 'summary.category', { value: this.categoryName(locale, r.category) }));
    if (r.description) lines.push(this.t(locale, 'summary.what', { value: r.description.length > 120 ? `${r.description.slice(0, 120)}…` : r.description }));
    if (r.occurredAt) {
      // The date, with the customer's own words for the time of day ("昨天下午") rather than a made-up hour.
      const date = formatDate(r.occurredAt, locale, tz);
      const value = !r.occurredText ? date : locale === 'en' ? `${date} (${r.occurredText})` : `${date}（${r.occurredText}）`;
      lines.push(this.t(locale, 'summary.when', { value }));
    }
    const branch = r.branch ? this.policy.branches.find((b) => b.id === r.branch)?.name[locale] : undefined;
    if (branch) lines.push(this.t(locale, 'summary.where', { value: branch }));
    if (r.amount) lines.push(this.t(locale, 'summary.amount', { value: formatAmount(r.amount, locale) }));
    if (r.wish) lines.push(this.t(locale, 'summary.wish', { value: this.wishText(locale, r.wish) }));
    lines.push(r.phone ? this.t(locale, 'summary.contact', { value: maskPhone(r.phone) }) : this.t(locale, 'summary.anonymous'));
    if (r.cardTail && r.financialConsent) lines.push(this.t(locale, 'summary.card', { value: r.cardTail }));
    lines.push('', this.t(locale, 'confirm.prompt'));
    return MessageFactory.suggestedActions([this.t(locale, 'confirm.submit'), this.t(locale, 'confirm.edit')], lines.join('\n'));
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
