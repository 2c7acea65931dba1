/** What the handoff relay tells the bot about this turn (kept in turnState, like turn-info). */
import type { TurnContext } from 'botbuilder';

const AFTER_HANDOFF = Symbol('afterHandoff');

export interface AfterHandoff {
  /** Drop whatever dialog was running before the handoff and start at the menu. */
  clearDialogs: boolean;
  /** Sentence said before the menu (an i18n key). */
  beforeKey?: string;
}

export function setAfterHandoff(context: TurnContext, flags: AfterHandoff): void {
  context.turnState.set(AFTER_HANDOFF, flags);
}

export function afterHandoffOf(context: TurnContext): AfterHandoff | undefined {
  return context.turnState.get(AFTER_HANDOFF) as AfterHandoff | undefined;
}
