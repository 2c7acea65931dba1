/**
 * Reads what the customer wrote into the intake record: masks sensitive data
 * (and tells them gently why), keeps the masked text, and fills whatever fields
 * the text carries. A text becomes the account of what happened only if it says
 * something ("我要投诉你们！" does not).
 */
import type { TurnContext } from 'botbuilder';
import type { Translator } from '../../bot/content/i18n';
import type { ComplaintExtractor } from '../../bot/intake/extract';
import type { PiiKind } from '../../bot/privacy/mask';
import { NEVER_KEPT } from '../../bot/privacy/mask';
import { turnLocaleOf } from '../../bot/turn/turn-info';
import { hasWords } from './answers';
import { absorb, type IntakeRecord } from './record';

export class StoryReader {
  constructor(
    private readonly extractor: ComplaintExtractor,
    private readonly translator: Translator,
    private readonly now: () => Date,
  ) {}

  /** Returns the record fields the text set (or replaced, with `override`). */
  async read(context: TurnContext, record: IntakeRecord, text: string, override: boolean, asDescription = true): Promise<string[]> {
    const locale = turnLocaleOf(context);
    const found = this.extractor.extract(text, locale, this.now());
    // A channel may have masked them already (the web transcript never keeps them).
    const maskedByChannel = ((context.activity.channelData as { maskedPii?: PiiKind[] } | undefined)?.maskedPii ?? []);
    const sensitive = [...new Set([...found.piiFound, ...maskedByChannel])].filter((k) => NEVER_KEPT.includes(k));
    if (sensitive.length > 0) {
      const what = sensitive.map((k) => this.translator.t(locale, `intake:pii.${k}`)).join(locale === 'en' ? ', ' : '、');
      await context.sendActivity(this.translator.t(locale, 'intake:pii.warning', { what }));
    }
    record.texts.push(found.maskedText);
    const changed = absorb(record, found, override);
    const informative = [...found.maskedText].length >= 10 || changed.length > 0;
    if (asDescription && !record.description && informative && hasWords(found.maskedText)) record.description = found.maskedText;
    return changed;
  }
}
