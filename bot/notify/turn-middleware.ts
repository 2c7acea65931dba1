/**
 * What the status schedule needs at the start of a customer's turn (after the turn lock, before the bot):
 *  - held notices (held.ts) are given first, in order, before the answer to what they wrote;
 *  - the reply right after a satisfaction survey, when it holds a score, is taken and thanked (survey.ts);
 *    anything else goes on to the bot as usual and ends the survey's wait.
 * A store fault here costs the customer nothing: the turn goes on and the notices stay held.
 */
import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { Translator } from '../content/i18n';
import type { Logger } from '../log';
import { turnLocaleOf } from '../turn/turn-info';
import type { HeldNotices } from './held';
import { parseSurveyAnswer, type Surveys } from './survey';

export class HeldNoticesMiddleware implements Middleware {
  constructor(
    private readonly held: HeldNotices,
    private readonly translator: Translator,
    private readonly logger: Logger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { type, channelId, from } = context.activity;
    if (type === ActivityTypes.Message && from?.id) {
      try {
        const notices = await this.held.peek(channelId, from.id);
        if (notices.length > 0) {
          const numbers = [...new Set(notices.map((n) => n.number))].join('、');
          const intro = this.translator.t(turnLocaleOf(context), 'notice:heldIntro', { count: notices.length, numbers });
          await context.sendActivity([intro, ...notices.map((n) => n.text)].join('\n\n'));
          await this.held.taken(channelId, from.id, notices.length);
        }
      } catch (error) {
        this.logger.warn({ err: error }, 'held notices not given this turn; they stay held');
      }
    }
    await next();
  }
}

export class SurveyMiddleware implements Middleware {
  constructor(
    private readonly surveys: Surveys,
    private readonly translator: Translator,
    private readonly logger: Logger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { type, channelId, from, text } = context.activity;
    if (type !== ActivityTypes.Message || !from?.id || !text) return next();
    let number: string | null = null;
    try {
      number = await this.surveys.pendingFor(channelId, from.id);
    } catch (error) {
      this.logger.warn({ err: error }, 'survey state unreadable; the message goes to the bot');
    }
    const answer = number ? parseSurveyAnswer(text) : undefined;
    if (!number) return next();
    if (!answer) {
      // The customer moved on: the survey is answered in the next message or not at all, so a "1" picking a
      // numbered menu item days later is never taken for a score.
      await this.surveys.drop(channelId, from.id).catch(() => undefined);
      return next();
    }
    await this.surveys.record(channelId, from.id, number, answer);
    await context.sendActivity(this.translator.t(turnLocaleOf(context), answer.score <= 2 ? 'notice:surveySorry' : 'notice:surveyThanks'));
  }
}
