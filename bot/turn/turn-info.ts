/**
 * Per-turn facts shared by middleware, the bot and dialogs, kept in the
 * TurnContext's turnState under symbols (no globals, no channel knowledge).
 */
import type { TurnContext } from 'botbuilder';
import type { Logger } from '../log';
import { DEFAULT_LOCALE, type SupportedLocale } from '../content/schemas';

const TURN_ID = Symbol('turnId');
const LOGGER = Symbol('logger');
const LOCALE = Symbol('locale');
const FROM_INBOX = Symbol('fromInbox');
const NOT_UNDERSTOOD = Symbol('notUnderstood');
const TRIAGE_LEVEL = Symbol('triageLevel');
const REPEAT_COMPLAINT = Symbol('repeatComplaint');

export function conversationKeyOf(context: TurnContext): string {
  return `${context.activity.channelId}:${context.activity.conversation?.id ?? 'unknown'}`;
}

export function setTurnId(context: TurnContext, id: string): void {
  context.turnState.set(TURN_ID, id);
}
export function turnIdOf(context: TurnContext): string {
  return (context.turnState.get(TURN_ID) as string | undefined) ?? 'unknown';
}

export function setTurnLogger(context: TurnContext, logger: Logger): void {
  context.turnState.set(LOGGER, logger);
}
export function turnLoggerOf(context: TurnContext, fallback: Logger): Logger {
  return (context.turnState.get(LOGGER) as Logger | undefined) ?? fallback;
}

export function setTurnLocale(context: TurnContext, locale: SupportedLocale): void {
  context.turnState.set(LOCALE, locale);
}
/** The language to answer in for this turn (chosen by the locale middleware). */
export function turnLocaleOf(context: TurnContext): SupportedLocale {
  return (context.turnState.get(LOCALE) as SupportedLocale | undefined) ?? DEFAULT_LOCALE;
}

/**
 * The turn was taken from a durable inbox that already holds the conversation's
 * lock and hands each accepted activity out exactly once (a redelivery after a
 * crash must run): the pipeline neither locks again nor deduplicates.
 */
export function markFromInbox(context: TurnContext): void {
  context.turnState.set(FROM_INBOX, true);
}
export function isFromInbox(context: TurnContext): boolean {
  return context.turnState.get(FROM_INBOX) === true;
}

/** The bot could not place this message (the menu's "not understood"): triage counts misunderstandings in a row. */
export function markNotUnderstood(context: TurnContext): void {
  context.turnState.set(NOT_UNDERSTOOD, true);
}
export function wasNotUnderstood(context: TurnContext): boolean {
  return context.turnState.get(NOT_UNDERSTOOD) === true;
}

/** Triage's level for the conversation so far (the highest reached): a complaint filed in it is at least this serious. */
export function setTriageLevel(context: TurnContext, level: 'general' | 'important' | 'urgent' | 'major'): void {
  context.turnState.set(TRIAGE_LEVEL, level);
}
export function triageLevelOf(context: TurnContext): 'general' | 'important' | 'urgent' | 'major' | undefined {
  return context.turnState.get(TRIAGE_LEVEL) as ReturnType<typeof triageLevelOf>;
}

/** The customer confirmed this complaint is about a matter they complained of before (the intake merged it): triage's "repeat". */
export function markRepeatComplaint(context: TurnContext): void {
  context.turnState.set(REPEAT_COMPLAINT, true);
}
export function wasRepeatComplaint(context: TurnContext): boolean {
  return context.turnState.get(REPEAT_COMPLAINT) === true;
}
