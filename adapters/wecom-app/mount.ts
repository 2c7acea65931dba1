/** Staff alerts in WeCom (the internal application): subscribes to the staff events when configured. */
import type { Mounted, MountContext } from '../../bot/mount';
import { WeComStaffAlerts } from './staff-alerts';

export function mountWeComAlerts(ctx: MountContext): Mounted & { alerts: WeComStaffAlerts } {
  const { config } = ctx;
  const alerts = new WeComStaffAlerts({
    baseUrl: config.WECOM_API_BASE_URL, corpId: config.WECOM_CORP_ID!, agentId: config.WECOM_AGENT_ID!, secret: config.WECOM_AGENT_SECRET!,
    policy: () => ctx.content.staffAlerts, backend: ctx.backend, keys: ctx.keys, logger: ctx.logger,
  });
  ctx.staffEvents.subscribe((event) => alerts.deliver(event));
  return { alerts, drained: () => ctx.staffEvents.drained() };
}
