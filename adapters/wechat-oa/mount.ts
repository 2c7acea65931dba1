/** The WeChat Official Account channel: verification, the adapter and its routes (mounted when configured). */
import type { Mounted, MountContext } from '../../bot/mount';
import { WeChatVerifier } from './verify';
import { WeChatApiClient } from './client';
import { ServiceWindow } from '../tencent/service-window';
import { WeChatOaAdapter } from './adapter';
import { registerWeChatOaRoutes } from './routes';

export function mountWeChatOa(ctx: MountContext): Mounted {
  const { config, backend, keys, logger } = ctx;
  const appId = config.WECHAT_OA_APP_ID!;
  const verifier = new WeChatVerifier({
    token: config.WECHAT_OA_TOKEN!, appId, aesKey: config.WECHAT_OA_AES_KEY, windowSeconds: config.WECHAT_TIMESTAMP_WINDOW_SECONDS,
  });
  const client = new WeChatApiClient({ baseUrl: config.WECHAT_API_BASE_URL, appId, secret: config.WECHAT_OA_APP_SECRET!, backend, keys, logger });
  const adapter = new WeChatOaAdapter({
    client, window: new ServiceWindow(backend, keys, ctx.now), backend, keys, translator: ctx.translator, logger,
    templates: ctx.content.wechatTemplates, budgetMs: config.WECHAT_PASSIVE_BUDGET_MS, logic: ctx.turnLogic,
  });
  for (const m of ctx.middleware) adapter.use(m);
  adapter.onTurnError = ctx.onTurnError;
  ctx.channels.set(adapter.channelId, adapter);
  registerWeChatOaRoutes(ctx.server, { verifier, adapter, logger, maxBodyBytes: config.MAX_ACTIVITY_BYTES, backend, keys });
  return { drained: () => adapter.drain() };
}
