/**
 * `npm run desk:user -- <command>`: manages desk staff accounts in the Redis
 * the bot uses (REDIS_URL, REDIS_KEY_PREFIX, from the environment or .env).
 *
 *   add <account> --name <shown name> [--role agent|supervisor] [--team <department>]…
 *   passwd <account>        new password; the account's open sessions end
 *   disable <account>       no more logins; open sessions end
 *   enable <account>
 *   set <account> [--name …] [--role …] [--team …]…   (teams given replace the old ones)
 *   list
 *
 * Passwords are never arguments (they would sit in the shell history and the
 * process list): they are read from standard input when it is piped, else
 * asked for twice at a prompt that does not echo.
 */
import { createInterface } from 'node:readline';
import { ConfigError, loadConfig, loadDotEnv } from '../config';
import { loadContent } from '../content/loader';
import { createLogger } from '../log';
import { openBackend } from '../store/open-backend';
import { Keys } from '../store/keys';
import { deskTeams } from './policy';
import { ROLES, StaffDirectory, StaffError, type Role } from './staff';

const USAGE = `usage: npm run desk:user -- add <account> --name <name> [--role agent|supervisor] [--team <department>]…
       npm run desk:user -- passwd|disable|enable <account>
       npm run desk:user -- set <account> [--name <name>] [--role agent|supervisor] [--team <department>]…
       npm run desk:user -- list
The password is read from standard input (one line) or asked for at a prompt.`;

function options(args: string[]): { name?: string; role?: string; teams: string[] } {
  const out: { name?: string; role?: string; teams: string[] } = { teams: [] };
  for (let i = 0; i < args.length; i++) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined || !['--name', '--role', '--team'].includes(flag ?? '')) throw new StaffError('INVALID', `unexpected "${flag}"\n${USAGE}`);
    if (flag === '--name') out.name = value;
    if (flag === '--role') out.role = value;
    if (flag === '--team') out.teams.push(value);
    i++;
  }
  return out;
}

/** One line from piped input, or twice at a silent prompt (the two must match). */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      // Echo nothing of what is typed (readline writes the characters through this method).
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.includes(prompt)) process.stdout.write(prompt);
      };
      rl.question(prompt, (answer) => {
        rl.close();
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('Password: ');
  if ((await ask('Again: ')) !== first) throw new StaffError('INVALID', 'the two passwords differ');
  return first;
}

async function main(argv: string[]): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  if (!config.REDIS_URL) throw new StaffError('INVALID', 'REDIS_URL is not set: accounts must go to the Redis the bot uses');
  const content = loadContent(config.CONTENT_DIR);
  const teams = deskTeams(content.complaints);
  const checkRole = (role: string | undefined): Role | undefined => {
    if (role !== undefined && !ROLES.includes(role as Role)) throw new StaffError('INVALID', `role must be one of ${ROLES.join(', ')}`);
    return role as Role | undefined;
  };
  const checkTeams = (given: string[]) => {
    const unknown = given.filter((t) => !teams.includes(t));
    if (unknown.length) throw new StaffError('INVALID', `unknown team ${unknown.join(', ')}; teams are: ${teams.join(', ')}`);
    return given;
  };
  const backend = openBackend(config, createLogger({ level: 'warn', hashKey: config.LOG_HASH_KEY }));
  const staff = new StaffDirectory(backend, new Keys(config.REDIS_KEY_PREFIX));
  try {
    const [command, account, ...rest] = argv;
    if (command === 'list') {
      for (const u of await staff.list()) console.log([u.username, u.name, u.role, u.teams.join(',') || '-', u.disabled ? 'disabled' : 'active'].join('\t'));
      return;
    }
    if (!account) throw new StaffError('INVALID', USAGE);
    if (command === 'add') {
      const o = options(rest);
      if (!o.name) throw new StaffError('INVALID', `add needs --name\n${USAGE}`);
      const user = await staff.add({ username: account, name: o.name, role: checkRole(o.role) ?? 'agent', teams: checkTeams(o.teams), password: await readPassword() });
      console.log(`added ${user.username} (${user.role}${user.teams.length ? `, ${user.teams.join(', ')}` : ''})`);
    } else if (command === 'passwd') {
      if (!(await staff.get(account))) throw new StaffError('NOT_FOUND', `no account ${account}`);
      await staff.setPassword(account, await readPassword());
      console.log(`password of ${account} changed; its open sessions have ended`);
    } else if (command === 'disable' || command === 'enable') {
      await staff.setDisabled(account, command === 'disable');
      console.log(`${account} ${command}d`);
    } else if (command === 'set') {
      const o = options(rest);
      const role = checkRole(o.role);
      await staff.setProfile(account, { ...(o.name ? { name: o.name } : {}), ...(role ? { role } : {}), ...(o.teams.length ? { teams: checkTeams(o.teams) } : {}) });
      console.log(`${account} updated`);
    } else throw new StaffError('INVALID', USAGE);
  } finally {
    await backend.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof StaffError || error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
