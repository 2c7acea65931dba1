/**
 * What the bot just asked, read the way a customer reads it: by its words.
 * The sentences come from content/locales (all three languages), so the
 * simulated customers follow the real intake whatever order it asks in, and
 * the benchmark stays right when the wording changes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BotReply } from './harness';

/** What a reply asks for (or tells), as far as the simulated customer cares. */
export type Heard =
  | 'description' | 'category' | 'when' | 'amount' | 'wish' | 'contact' | 'consent' | 'financialConsent'
  | 'confirm' | 'editWhich' | 'sameMatter' | 'resume' | 'created' | 'menu' | 'handedOff';

/**
 * What waits for the customer without buttons: a turn whose last reply is one of these is over (a plain intake
 * question, or the chat passed to a person — triage's doing, or the customer's).
 */
const PLAIN_QUESTIONS: Heard[] = ['description', 'when', 'amount', 'wish', 'contact', 'editWhich', 'handedOff'];

const KEYS: [Heard, string][] = [
  // Most specific first: a summary ends with the confirm prompt; a created ticket's message comes before the menu.
  ['created', 'intake:submitted'], ['created', 'intake:submittedAnonymous'], ['created', 'intake:sameMatter.merged'],
  ['confirm', 'intake:confirm.prompt'], ['editWhich', 'intake:confirm.which'],
  ['sameMatter', 'intake:sameMatter.ask'], ['resume', 'intake:resume.ask'],
  ['financialConsent', 'intake:ask.financialConsent'],
  ['consent', 'intake:ask.consent'], ['consent', 'intake:reask.yesNo'],
  ['description', 'intake:ask.description'], ['description', 'intake:reask.description'],
  ['category', 'intake:ask.category'], ['category', 'intake:reask.category'],
  ['when', 'intake:ask.when'], ['when', 'intake:reask.when'], ['when', 'intake:reask.future'],
  ['amount', 'intake:ask.amount'], ['amount', 'intake:reask.amount'],
  ['wish', 'intake:ask.wish'], ['wish', 'intake:reask.wish'],
  ['contact', 'intake:ask.contact'], ['contact', 'intake:reask.contact'],
  ['menu', 'common:menu.prompt'], ['menu', 'common:fallback.notUnderstood'],
  ['handedOff', 'handoff:queued'], ['handedOff', 'handoff:alreadyQueued'],
];

function lookup(tree: unknown, dotted: string): string | undefined {
  let node = tree;
  for (const part of dotted.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === 'string' ? node : undefined;
}

/** The longest literal piece of a sentence with {{placeholders}}: enough to recognise it. */
function fingerprint(template: string): string {
  return template.split(/\{\{[^}]*\}\}/).sort((a, b) => b.length - a.length)[0]!.trim();
}

function loadFingerprints(contentDir: string): [Heard, string][] {
  const out: [Heard, string][] = [];
  for (const locale of ['zh-CN', 'zh-TW', 'en']) {
    const files = new Map<string, unknown>();
    for (const [heard, key] of KEYS) {
      const [ns, dotted] = key.split(':') as [string, string];
      if (!files.has(ns)) files.set(ns, JSON.parse(readFileSync(path.join(contentDir, 'locales', locale, `${ns}.json`), 'utf8')));
      const text = lookup(files.get(ns), dotted);
      if (!text) throw new Error(`bench: ${locale} ${key} is missing in content`);
      out.push([heard, fingerprint(text)]);
    }
  }
  return out;
}

const FINGERPRINTS = loadFingerprints(path.join(__dirname, '..', '..', 'content'));

/** What one reply is, if it is one of the sentences the customer reacts to. */
export function heardIn(reply: BotReply): Heard | undefined {
  const text = reply.text ?? '';
  return FINGERPRINTS.find(([, f]) => text.includes(f))?.[0];
}

/** The turn is over: the bot is waiting (the menu, a question with buttons, or a plain intake question). */
export function endsTurn(reply: BotReply): boolean {
  if (reply.suggestedActions) return true;
  const heard = heardIn(reply);
  return heard !== undefined && PLAIN_QUESTIONS.includes(heard);
}

/** What the turn's replies ask for (the last recognised one), and the ticket number a reply told, if any. */
export function understand(replies: BotReply[]): { asked?: Heard; ticket?: string } {
  let asked: Heard | undefined;
  let ticket: string | undefined;
  for (const reply of replies) {
    const heard = heardIn(reply);
    if (heard === 'created') ticket = /TS-\d{8}-\d{4,}/.exec(reply.text ?? '')?.[0];
    if (heard) asked = heard;
  }
  return { asked, ticket };
}

/** The labels of the buttons of the turn's last reply (a customer taps one). */
export function buttonsOf(replies: BotReply[]): string[] {
  return (replies.at(-1)?.suggestedActions?.actions ?? []).map((a) => a.title ?? String(a.value ?? '')).filter(Boolean);
}
