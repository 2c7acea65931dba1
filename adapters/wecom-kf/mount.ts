/** The WeCom customer-service channel (微信客服): callback checks, pulling, the adapter and its routes (mounted when configured). */
import type { Mounted, MountContext } from '../../bot/mount';
import { CallbackCrypto } from '../tencent/callback-crypto';
import { ServiceWindow } from '../tencent/service-window';
import { WECOM_KF_CHANNEL, WeComKfClient } from './client';
import { WeComKfAdapter } from './adapter';
import { KfPuller } from './puller';
import { registerKfRoutes } from './routes';
import { KfSessions } from './sessions';

export interface KfMounted extends Mounted {
  adapter: WeComKfAdapter;
  puller: KfPuller;
}

export function mountWeComKf(ctx: MountContext): KfMounted {
  const { config, backend, keys, logger } = ctx;
  const corpId = config.WECOM_CORP_ID!;
  const client = new WeComKfClient({ baseUrl: config.WECOM_API_BASE_URL, corpId, secret: config.WECOM_KF_SECRET!, backend, keys, logger, timeoutMs: config.WECOM_API_TIMEOUT_MS });
  const crypto = new CallbackCrypto({ token: config.WECOM_KF_TOKEN!, aesKey: config.WECOM_KF_AES_KEY!, receiveId: corpId, windowSeconds: config.WECHAT_TIMESTAMP_WINDOW_SECONDS });
  const adapter = new WeComKfAdapter({
    client, window: new ServiceWindow(backend, keys, ctx.now, WECOM_KF_CHANNEL), sessions: new KfSessions(backend, keys),
    translator: ctx.translator, logger, logic: ctx.turnLogic, handoff: config.WECOM_KF_HANDOFF, servicer: config.WECOM_KF_SERVICER,
  });
  for (const m of ctx.middleware) adapter.use(m);
  adapter.onTurnError = ctx.onTurnError;
  ctx.channels.set(adapter.channelId, adapter);
  const puller = new KfPuller({ client, backend, keys, logger, handle: (items) => adapter.handlePage(items) });
  registerKfRoutes(ctx.server, {
    crypto, logger, maxBodyBytes: config.MAX_ACTIVITY_BYTES, backend, keys,
    pull: (openKfId, token) => ctx.runInBackground(() => puller.pull(openKfId, token)),
  });
  return { adapter, puller, stop: async () => puller.stop() };
}
