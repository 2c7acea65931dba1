/** What the channel simulators share: the customer's lines from the command line, or else typed at the terminal. */
import { createInterface } from 'node:readline/promises';

/** Says each line (echoing it), or reads lines from the terminal until an empty one or /quit. */
export async function sayLines(lines: string[], say: (line: string) => Promise<void>): Promise<void> {
  if (lines.length > 0) {
    for (const line of lines) {
      console.log(`you ▸ ${line}`);
      await say(line);
    }
    return;
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  for (;;) {
    const line = (await rl.question('you ▸ ').catch(() => '/quit')).trim();
    if (line === '/quit' || line === '') break;
    await say(line);
  }
  rl.close();
}

/** Runs a simulator's main and exits with its outcome. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
