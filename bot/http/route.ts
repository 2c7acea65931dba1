/** Wraps an async route handler: any throw becomes a uniform error answer, logged without internals. */
import type { Request, Response } from 'restify';
import type { Logger } from '../log';
import { sendError } from './respond';

export type Handler = (req: Request, res: Response) => Promise<void>;

export function route(logger: Logger, name: string, handler: Handler) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      await handler(req, res);
    } catch (error) {
      sendError(res, error, logger, name);
    }
  };
}
