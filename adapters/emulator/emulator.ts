/**
 * `/api/messages` for the Bot Framework Emulator (and Azure Bot Service when app
 * credentials are configured), through botbuilder's CloudAdapter. Served only in
 * development or with credentials: without them the endpoint skips authentication.
 * Bodies are validated first: a body without `type` makes botbuilder answer 500,
 * an `invoke` makes it answer 501 (the bot implements no invoke), and a missing
 * or non-http serviceUrl makes the turn wait on replies that cannot be sent.
 */
import type { Server } from 'restify';
import { z } from 'zod';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Middleware, type TurnContext } from 'botbuilder';
import { AppError } from '../../bot/errors';
import type { Logger } from '../../bot/log';
import { readJson } from '../../bot/http/body';
import { route } from '../../bot/http/route';
import type { Mounted, MountContext } from '../../bot/mount';

/** What the bot handles: the Bot Framework's activity types without invoke and those only a bot sends (trace, handoff, commands). */
const ACCEPTED_TYPES = [
  'message', 'conversationUpdate', 'contactRelationUpdate', 'typing', 'endOfConversation', 'event',
  'deleteUserData', 'messageUpdate', 'messageDelete', 'installationUpdate', 'messageReaction',
] as const;

const emulatorActivitySchema = z
  .object({
    type: z.enum(ACCEPTED_TYPES),
    id: z.string().max(256).optional(),
    // Where botbuilder sends the replies: the Emulator's (or Azure's) own endpoint.
    serviceUrl: z.string().max(2048).regex(/^https?:\/\/[^\s/?#]+/, 'an http(s) URL'),
    channelId: z.string().min(1).max(64),
    conversation: z.object({ id: z.string().min(1).max(512) }).passthrough(),
    from: z.object({ id: z.string().min(1).max(256) }).passthrough(),
    text: z.string().optional(),
  })
  .passthrough();

export interface EmulatorDeps {
  appId?: string;
  appPassword?: string;
  appTenantId?: string;
  appType: string;
  logger: Logger;
  maxActivityBytes: number;
  middleware: Middleware[];
  logic: (context: TurnContext) => Promise<void>;
  onTurnError: (context: TurnContext, error: Error) => Promise<void>;
}

export function registerEmulatorEndpoint(server: Server, deps: EmulatorDeps): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: deps.appId,
    MicrosoftAppPassword: deps.appPassword,
    MicrosoftAppTenantId: deps.appTenantId,
    MicrosoftAppType: deps.appType,
  });
  const adapter = new CloudAdapter(auth);
  for (const m of deps.middleware) adapter.use(m);
  adapter.onTurnError = deps.onTurnError;

  server.post('/api/messages', route(deps.logger, 'emulator.messages', async (req, res) => {
    const body = await readJson(req, deps.maxActivityBytes);
    const parsed = emulatorActivitySchema.safeParse(body);
    if (!parsed.success) throw new AppError('BAD_REQUEST', `Invalid activity: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`, 400);
    (req as unknown as { body: unknown }).body = parsed.data;
    await adapter.process(req as never, res as never, deps.logic);
  }));
  return adapter;
}

/** Mounts `/api/messages` (the caller decides whether it may be served: development, or with app credentials). */
export function mountEmulator(ctx: MountContext): Mounted {
  const { config } = ctx;
  registerEmulatorEndpoint(ctx.server, {
    appId: config.MICROSOFT_APP_ID,
    appPassword: config.MICROSOFT_APP_PASSWORD,
    appTenantId: config.MICROSOFT_APP_TENANT_ID,
    appType: config.MICROSOFT_APP_TYPE,
    logger: ctx.logger, middleware: ctx.middleware, onTurnError: ctx.onTurnError,
    logic: ctx.turnLogic,
    maxActivityBytes: config.MAX_ACTIVITY_BYTES,
  });
  return {};
}
