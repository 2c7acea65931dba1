/**
 * What happens when a turn throws: the customer gets a polite apology in their
 * language with a short reference, the log gets the reference, the turn id and
 * the error code — never internals in the reply, never personal data in the log.
 */
import type { TurnContext } from 'botbuilder';
import type { Translator } from '../content/i18n';
import { errorCodeOf } from '../errors';
import type { Logger } from '../log';
import { turnIdOf, turnLocaleOf, turnLoggerOf } from './turn-info';

export function createTurnErrorHandler(translator: Translator, logger: Logger) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    const turnId = turnIdOf(context);
    const ref = turnId.slice(0, 8);
    turnLoggerOf(context, logger).error({ err: error, code: errorCodeOf(error), ref }, 'turn failed');
    try {
      await context.sendActivity(translator.t(turnLocaleOf(context), 'error.turn', { ref }));
    } catch (sendError) {
      turnLoggerOf(context, logger).error({ err: sendError, ref }, 'could not send the apology');
    }
  };
}
