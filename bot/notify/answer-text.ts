/**
 * The answer as the customer reads it (DOMAIN.md "The answer to the customer must cover six things"): what
 * was found, what was done about the people or process responsible, the corrective action, who handled it and
 * how to reach them, when, and — when given — how to appeal. One function, so the notice the customer gets and
 * the preview staff see before sending are the same words.
 */
import type { Translator } from '../content/i18n';
import { formatDateTime } from '../content/format';
import { DEFAULT_LOCALE, type SupportedLocale } from '../content/schemas';
import type { Resolution, Ticket } from '../tickets/model';
import { normaliseLocale } from '../turn/locale';

export function answerText(translator: Translator, ticket: Pick<Ticket, 'number' | 'customer'>, resolution: Resolution, timeZone: string): { locale: SupportedLocale; text: string } {
  const locale = normaliseLocale(ticket.customer.locale) ?? DEFAULT_LOCALE;
  const appeal = resolution.appealInfo ? translator.t(locale, 'notice:answeredAppeal', { appealInfo: resolution.appealInfo }) : '';
  const text = translator.t(locale, 'notice:answered', {
    number: ticket.number,
    findings: resolution.findings,
    accountability: resolution.accountability,
    correctiveAction: resolution.correctiveAction,
    handler: resolution.handler.name,
    contact: resolution.handler.contact,
    handledAt: formatDateTime(resolution.handledAt, locale, timeZone),
    appeal,
  });
  return { locale, text: text.trim() };
}
