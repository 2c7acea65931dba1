/**
 * The supervisor console, inside the desk (its sign-in, its page): content
 * tuning with drafts, checks, publishing and restoring (docs/console.md).
 */
import type { LiveContent } from '../content/live';
import type { DeskFeature } from '../desk/mount';
import type { Mounted, MountContext } from '../mount';
import { ContentDrafts } from './drafts';
import { registerContentRoutes } from './routes-content';

export function mountConsole(ctx: MountContext, desk: DeskFeature, live: LiveContent): Mounted {
  registerContentRoutes(ctx.server, {
    logger: ctx.logger,
    gate: desk.gate,
    audit: desk.audit,
    live,
    drafts: new ContentDrafts(ctx.backend, ctx.keys, ctx.now),
    addressOf: desk.addressOf,
    now: ctx.now,
    names: async () => Object.fromEntries((await desk.staff.list()).map((u) => [u.username, u.name])),
  });
  return {};
}
