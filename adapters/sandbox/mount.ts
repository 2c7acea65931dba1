/** Mounts the test chat's channel in a sandbox app (adapters/sandbox/adapter.ts). */
import type { Mounted, MountContext } from '../../bot/mount';
import { SandboxAdapter } from './adapter';

export interface SandboxChannel extends Mounted {
  adapter: SandboxAdapter;
}

export function mountSandbox(ctx: MountContext): SandboxChannel {
  return { adapter: new SandboxAdapter(ctx.turnLogic, ctx.middleware, ctx.onTurnError) };
}
