/**
 * Checks the surge rule while the bot runs (every policy.surge.checkEveryMinutes) and tells supervisors of each
 * surging category once a day: the first instance to claim the day's key in Redis emits the staff event, so any
 * number of instances tell it once.
 */
import type { Logger } from '../log';
import type { StaffEvents } from '../notify/staff-events';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import type { ReportsPolicy } from './policy';
import type { Reports } from './report';

export class SurgeWatch {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      reports: Reports;
      backend: StateBackend;
      keys: Keys;
      events: StaffEvents;
      policy: () => ReportsPolicy;
      categoryName: (id: string) => string;
      logger: Logger;
    },
  ) {}

  start(): void {
    const every = this.deps.policy().surge.checkEveryMinutes * 60_000;
    this.timer = setInterval(() => void this.check(), every);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One check now (tests call it); a check already running is not started twice. */
  check(): Promise<void> {
    this.running ??= this.run()
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'surge check failed; trying again at the next check'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<void> {
    const day = this.deps.reports.today();
    for (const surge of await this.deps.reports.surges()) {
      const first = await this.deps.backend.set(this.deps.keys.reportSurgeTold(day, surge.category), String(surge.today), { onlyIfAbsent: true, ttlMs: 2 * 86_400_000 });
      if (!first) continue;
      this.deps.logger.info({ category: surge.category, today: surge.today, baseline: surge.baseline }, 'complaint surge');
      this.deps.events.emit({ kind: 'complaintSurge', category: surge.category, categoryName: this.deps.categoryName(surge.category), today: surge.today, baseline: surge.baseline });
    }
  }
}
