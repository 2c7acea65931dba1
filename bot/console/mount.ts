/**
 * The supervisor console, inside the desk (its sign-in, its page): content
 * tuning with drafts, checks, preview, publishing and restoring; the reports
 * with CSV export; the surge watch that tells supervisors of a category of
 * complaints rising well above its recent average (docs/console.md).
 */
import type { LiveContent } from '../content/live';
import { flatten } from '../content/loader';
import type { DeskFeature } from '../desk/mount';
import type { FaqStats } from '../faq/stats';
import type { CallbackQueue } from '../handoff/callback-queue';
import type { Mounted, MountContext } from '../mount';
import type { DayCounters } from '../reports/day-counters';
import { Reports } from '../reports/report';
import { SurgeWatch } from '../reports/surge-watch';
import { ContentDrafts } from './drafts';
import { SandboxChats, type OpenSandbox } from './sandbox-chats';
import { registerContentRoutes } from './routes-content';
import { registerReportRoutes } from './routes-reports';

export interface ConsoleFeature extends Mounted {
  reports: Reports;
  surgeWatch: SurgeWatch;
}

export function mountConsole(
  ctx: MountContext,
  desk: DeskFeature,
  live: LiveContent,
  figures: { counters: DayCounters; faqStats: FaqStats; callbacks: CallbackQueue },
  openSandbox: OpenSandbox,
): ConsoleFeature {
  const { content } = ctx;
  const sandboxes = new SandboxChats(openSandbox);
  registerContentRoutes(ctx.server, {
    sandboxes,
    logger: ctx.logger,
    gate: desk.gate,
    audit: desk.audit,
    live,
    drafts: new ContentDrafts(ctx.backend, ctx.keys, ctx.now),
    addressOf: desk.addressOf,
    now: ctx.now,
    names: async () => Object.fromEntries((await desk.staff.list()).map((u) => [u.username, u.name])),
  });
  const reports = new Reports({
    backend: ctx.backend, keys: ctx.keys, ...figures, callbacks: figures.callbacks, now: ctx.now,
    policy: () => content.reports,
    satisfactionTarget: () => content.complaints.notices.schedule.satisfactionTarget,
  });
  registerReportRoutes(ctx.server, { logger: ctx.logger, gate: desk.gate, reports, content });
  const surgeWatch = new SurgeWatch({
    reports, backend: ctx.backend, keys: ctx.keys, events: ctx.staffEvents, logger: ctx.logger,
    policy: () => content.reports,
    categoryName: (id) => flatten(content.locales['zh-CN'].intake ?? {}).get(`category.${id}`) ?? id,
  });
  return {
    reports,
    surgeWatch,
    start: () => surgeWatch.start(),
    stop: async () => {
      await surgeWatch.stop();
      await sandboxes.closeAll();
    },
  };
}
