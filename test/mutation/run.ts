/**
 * `npm run test:mutation [group ...]` — StrykerJS over the modules that hold
 * the rules, one group of modules at a time (docs/testing.md § Mutation
 * testing). Why groups: a whole run takes hours on two cores and Stryker
 * writes its report only at the end; a group finishes in tens of minutes and
 * keeps its report (reports/mutation/<group>.json) even if a later group is
 * stopped. With no argument every group runs; the last line is the score over
 * every group report present (test/mutation/score.ts). MUTATION_TIMEOUT_MS=4000 shortens the grace a mutant's
 * tests get beyond their normal time (Stryker's timeoutMS; the config says 15000).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

export const GROUPS: Record<string, string[]> = {
  delivery: [
    'bot/notify/**/*.ts',
    // The CLIs' entry points run as child processes in their tests, out of sight of Stryker's in-process runner.
    '!bot/notify/*-cli.ts',
    'bot/turn/inbound-dedupe.ts',
    'bot/turn/turn-lock.ts',
    'adapters/tencent/service-window.ts',
    'adapters/wechat-oa/verify.ts',
  ],
  tickets: ['bot/tickets/**/*.ts'],
  privacy: ['bot/privacy/**/*.ts'],
};

/** A group's own jest configuration, where the shared one would run far more than its rules need. */
const JEST_CONFIG: Record<string, string> = {
  delivery: 'test/mutation/jest.delivery.config.js',
  tickets: 'test/mutation/jest.tickets.config.js',
  privacy: 'test/mutation/jest.privacy.config.js',
};

/** stryker.config.json, with the group's jest configuration when it has one (written beside the reports). */
function configFor(group: string): string {
  const own = JEST_CONFIG[group];
  if (!own) return 'stryker.config.json';
  const config = JSON.parse(readFileSync('stryker.config.json', 'utf8')) as { jest: Record<string, unknown> };
  config.jest = { ...config.jest, configFile: own };
  const file = `reports/stryker-${group}.config.json`;
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

function run(command: string, args: string[]): number {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  return result.status ?? 1;
}

const asked = process.argv.slice(2);
const unknown = asked.filter((g) => !(g in GROUPS));
if (unknown.length > 0) {
  console.error(`Unknown group(s): ${unknown.join(', ')}. Groups: ${Object.keys(GROUPS).join(', ')}`);
  process.exit(2);
}
mkdirSync('reports/mutation', { recursive: true });
for (const group of asked.length > 0 ? asked : Object.keys(GROUPS)) {
  const status = run('npx', [
    'stryker', 'run', configFor(group),
    '--mutate', (GROUPS[group] ?? []).join(','),
    '--incrementalFile', `reports/stryker-incremental-${group}.json`,
    // MUTATION_TIMEOUT_MS: a shorter grace than the config's 15 s, where mutants that loop forever (calendar
    // arithmetic) would otherwise cost 15 s and a worker restart each.
    ...(process.env.MUTATION_TIMEOUT_MS ? ['--timeoutMS', process.env.MUTATION_TIMEOUT_MS] : []),
  ]);
  if (status !== 0) {
    console.error(`Stryker failed on group ${group} (exit ${status}).`);
    process.exit(status);
  }
  copyFileSync('reports/mutation/mutation.json', `reports/mutation/${group}.json`);
}
process.exit(run('npx', ['tsx', 'test/mutation/score.ts']));
