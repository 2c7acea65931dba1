/**
 * npm run notify:due [-- --limit 50]
 * What the status schedule holds for staff: the newest reminders and escalations (a reminder before a promised
 * date, an escalation after a missed one), then the next items planned (progress updates, surveys, automatic
 * closes, reminders), soonest first, in the bank's time zone. Reads the bot's store.
 */
import { parseArgs } from 'node:util';
import { createApp } from '../app';
import { loadConfig, loadDotEnv } from '../config';

async function main(): Promise<void> {
  loadDotEnv();
  const { values } = parseArgs({ options: { limit: { type: 'string', default: '50' } } });
  const limit = Math.max(1, Math.min(1000, Number(values.limit) || 50));
  const app = await createApp({ config: loadConfig(), scheduler: false, desk: false });
  const timeZone = app.content.complaints.timeLimits.timezone;
  const local = (ms: number | string) => new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(ms));
  try {
    const alerts = await app.notices.alerts.recent(limit);
    console.log(`Reminders and escalations (${alerts.length}, newest first):`);
    for (const a of alerts) console.log(`  ${local(a.at)}  ${a.kind === 'escalate' ? 'MISSED  ' : 'due soon'}  ${a.number}  ${a.department}${a.owner ? `  ${a.owner}` : ''}  promised ${local(a.promised)}`);
    const next = await app.notices.schedule.upcoming(limit);
    console.log(`\nNext planned (${next.length}, soonest first):`);
    for (const item of next) console.log(`  ${local(item.dueMs)}  ${item.kind.padEnd(9)}  ${item.number}`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
