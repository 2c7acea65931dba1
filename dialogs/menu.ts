/**
 * The main menu: what the customer can do, as suggested actions (rendered as a
 * numbered list on channels without buttons). Features register entries; an
 * entry whose feature is not built is simply not passed in, so it is not shown.
 */
import { MessageFactory, type Activity } from 'botbuilder';
import type { Translator } from '../bot/content/i18n';
import { normaliseUtterance } from '../bot/content/commands';
import { SUPPORTED_LOCALES, type SupportedLocale } from '../bot/content/schemas';

export interface MenuEntry {
  /** Stable id: "complaint", "question", "progress", "person", "language", "help". */
  id: string;
  /** i18n key of the label the customer taps. */
  labelKey: string;
  /** The dialog this entry starts; absent for entries the main dialog handles itself. */
  dialogId?: string;
}

export class Menu {
  /** Each entry's label in every language, normalised once (labels change only when content is reloaded). */
  private readonly labels: Map<string, MenuEntry>;

  constructor(
    private readonly translator: Translator,
    readonly entries: MenuEntry[],
  ) {
    this.labels = new Map(
      entries.flatMap((e) => SUPPORTED_LOCALES.map((l) => [normaliseUtterance(translator.t(l, e.labelKey)), e] as const)),
    );
  }

  private readonly rendered = new Map<string, Partial<Activity>>();

  /** The menu as a message; built once per wording (a copy is returned: botbuilder stamps the copy it sends). */
  activity(locale: SupportedLocale, leadKey: string, before?: string): Partial<Activity> {
    const key = `${locale}\u0000${leadKey}\u0000${before ?? ''}`;
    let activity = this.rendered.get(key);
    if (!activity) {
      const labels = this.entries.map((e) => this.translator.t(locale, e.labelKey));
      const lead = this.translator.t(locale, leadKey);
      activity = MessageFactory.suggestedActions(labels, before ? `${before}\n\n${lead}` : lead);
      if (this.rendered.size < 1000) this.rendered.set(key, activity);
    }
    return { ...activity };
  }

  /** The entry with this id (menu buttons of channels that send ids, such as WeChat's custom menu). */
  byId(id: unknown): MenuEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  /** The entry a reply picks: its label in any language, or its number in the list. */
  match(text: string | undefined): MenuEntry | undefined {
    if (!text) return undefined;
    const said = normaliseUtterance(text);
    const number = /^\d{1,2}$/.test(said) ? Number(said) : NaN;
    if (number >= 1 && number <= this.entries.length) return this.entries[number - 1];
    return this.labels.get(said);
  }
}
