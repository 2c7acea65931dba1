/**
 * Runs the status schedule, then the outbox, on a node-cron schedule (every instance: the schedule's leases and
 * the outbox's lock make each item and each delivery run once).
 */
import { schedule, type ScheduledTask } from 'node-cron';
import type { Logger } from '../log';
import type { Outbox } from './outbox';

export class OutboxScheduler {
  private task: ScheduledTask | undefined;

  constructor(
    private readonly outbox: Outbox,
    private readonly expression: string,
    private readonly timezone: string,
    private readonly logger: Logger,
    /** Runs first in each tick (the status schedule, which queues notices the outbox then delivers). */
    private readonly before: () => Promise<{ ran: number; failed: number }> = async () => ({ ran: 0, failed: 0 }),
  ) {}

  start(): void {
    this.task = schedule(
      this.expression,
      async () => {
        try {
          const planned = await this.before();
          if (planned.ran + planned.failed > 0) this.logger.info(planned, 'status schedule tick');
        } catch (error) {
          this.logger.error({ err: error }, 'status schedule tick failed');
        }
        try {
          const r = await this.outbox.tick();
          if (r.delivered + r.retried + r.dead > 0) this.logger.info(r, 'outbox tick');
        } catch (error) {
          this.logger.error({ err: error }, 'outbox tick failed');
        }
      },
      { noOverlap: true, timezone: this.timezone, name: 'outbox' },
    );
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
    this.task = undefined;
  }
}
