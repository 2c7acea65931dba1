/** Runs the outbox tick on a node-cron schedule (every instance; the tick's lock makes one of them work). */
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
  ) {}

  start(): void {
    this.task = schedule(
      this.expression,
      async () => {
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
