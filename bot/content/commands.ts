/**
 * Recognises the words a customer may type at any point (help, cancel, start
 * over, change language) and greetings, from `content/policy/commands.json`.
 * Every form works in every language: a customer on the English page who types
 * "取消" still cancels.
 */
import type { Commands, SupportedLocale } from './schemas';

export type GlobalCommand =
  | { kind: 'help' }
  | { kind: 'cancel' }
  | { kind: 'restart' }
  | { kind: 'person' }
  | { kind: 'language'; locale: SupportedLocale };

/** Lower-cases, folds full-width forms and drops spaces and end punctuation. */
export function normaliseUtterance(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u3000]+/g, ' ')
    .trim()
    .replace(/^[\s,.!?;:~，。！？；：～、]+|[\s,.!?;:~，。！？；：～、]+$/g, '');
}

export class CommandRecognizer {
  private table = new Map<string, GlobalCommand>();
  private greetings = new Set<string>();

  constructor(commands: Commands) {
    this.reload(commands);
  }

  /** Takes a new version's command phrases (a published content version); the next message is read with them. */
  reload(commands: Commands): void {
    this.table = new Map();
    const add = (phrases: string[], command: GlobalCommand) => {
      for (const p of phrases) this.table.set(normaliseUtterance(p) || p, command);
    };
    add(commands.help, { kind: 'help' });
    add(commands.cancel, { kind: 'cancel' });
    add(commands.restart, { kind: 'restart' });
    add(commands.person, { kind: 'person' });
    for (const locale of Object.keys(commands.language) as SupportedLocale[]) {
      add(commands.language[locale], { kind: 'language', locale });
    }
    this.greetings = new Set(commands.greeting.map(normaliseUtterance));
  }

  /** A global command when the whole message is one (not when it merely contains the word). */
  recognise(text: string | undefined): GlobalCommand | undefined {
    if (!text) return undefined;
    const key = normaliseUtterance(text);
    return this.table.get(key) ?? (key === '' ? this.table.get(text.trim()) : undefined);
  }

  isGreeting(text: string | undefined): boolean {
    return Boolean(text) && this.greetings.has(normaliseUtterance(text ?? ''));
  }
}
