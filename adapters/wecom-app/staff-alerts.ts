/**
 * Staff alerts through the bank's WeCom internal application (message/send,
 * PROTOCOLS.md): the staff events (bot/notify/staff-events.ts) go to the
 * people content/policy/staff-alerts.json names, in its words. A surge — the
 * waiting queue at or above the policy's size — is said at most once per
 * period across every instance (a Redis key set only if absent).
 */
import type { Logger } from '../../bot/log';
import { alertText, recipientsOf, type AlertKind, type StaffAlertPolicy } from '../../bot/notify/staff-alert-policy';
import type { StaffEvent } from '../../bot/notify/staff-events';
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';
import { TencentApiClient } from '../tencent/api-client';
import { mapWeComError } from '../tencent/wecom-errors';

export const WECOM_APP_CHANNEL = 'wecom-app';

export interface WeComAlertsOptions {
  baseUrl: string;
  corpId: string;
  agentId: string;
  secret: string;
  policy: () => StaffAlertPolicy;
  backend: StateBackend;
  keys: Keys;
  logger: Logger;
}

export class WeComStaffAlerts {
  private readonly client: TencentApiClient;

  constructor(private readonly options: WeComAlertsOptions) {
    const { corpId, agentId, secret } = options;
    this.client = new TencentApiClient({
      ...options, channel: WECOM_APP_CHANNEL, account: `${corpId}:${agentId}`, mapError: mapWeComError,
      tokenPath: `/cgi-bin/gettoken?corpid=${encodeURIComponent(corpId)}&corpsecret=${encodeURIComponent(secret)}`,
    });
  }

  /** A staff event as an alert to its recipients; nothing when the policy names nobody for it. */
  async deliver(event: StaffEvent): Promise<void> {
    const policy = this.options.policy();
    const alert = await this.alertFor(policy, event);
    if (!alert) return;
    const to = recipientsOf(policy, alert.kind, alert.department);
    if (to.length === 0) return;
    await this.client.post('/cgi-bin/message/send', { touser: to.join('|'), msgtype: 'text', agentid: Number(this.options.agentId), text: { content: alert.text } });
    this.options.logger.info({ channel: WECOM_APP_CHANNEL, kind: alert.kind, recipients: to.length }, 'staff alert sent');
  }

  private async alertFor(policy: StaffAlertPolicy, event: StaffEvent): Promise<{ kind: AlertKind; text: string; department?: string } | undefined> {
    switch (event.kind) {
      case 'urgentChat':
        return { kind: 'urgentChat', text: alertText(policy, 'urgentChat', { reasons: event.reasons.join('、'), ahead: Math.max(0, event.waiting - 1) }) };
      case 'remind':
      case 'escalate':
        return { kind: event.kind, department: event.department, text: alertText(policy, event.kind, { number: event.number, promised: event.promised.slice(0, 10) }) };
      case 'complaintSurge':
        return { kind: 'complaintSurge', text: alertText(policy, 'complaintSurge', { category: event.categoryName, today: event.today, baseline: event.baseline }) };
      case 'waiting': {
        if (event.waiting < policy.surge.waitingChats) return undefined;
        const period = Math.floor(Date.now() / (policy.surge.everyMinutes * 60_000));
        const first = await this.options.backend.set(this.options.keys.outboxOnce(`surge:${period}`), String(event.waiting), { ttlMs: policy.surge.everyMinutes * 60_000 * 2, onlyIfAbsent: true });
        return first ? { kind: 'surge', text: alertText(policy, 'surge', { waiting: event.waiting }) } : undefined;
      }
    }
  }
}
