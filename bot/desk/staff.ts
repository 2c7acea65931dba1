/**
 * Desk staff accounts in the store: one document per account (optimistic
 * concurrency, so a password change and a disable never overwrite each other)
 * and a sorted set of every login name. Roles are `agent` and `supervisor`;
 * teams are the departments of the routing policy.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './passwords';

export const ROLES = ['agent', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

/** Login names: lower-case letters, digits, dot, dash, underscore (they appear in keys and the audit log). */
export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;

export const staffUserSchema = z
  .object({
    username: z.string().regex(USERNAME),
    /** The name colleagues see (never shown to customers). */
    name: z.string().min(1).max(40),
    role: z.enum(ROLES),
    teams: z.array(z.string()),
    passwordHash: z.string(),
    disabled: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    /** Raised by every password change and disable: sessions issued under an older epoch are void. */
    epoch: z.number().int(),
  })
  .strict();
export type StaffUser = z.infer<typeof staffUserSchema>;

/** What the desk may show of an account. */
export interface StaffProfile {
  username: string;
  name: string;
  role: Role;
  teams: string[];
}
export const profileOf = (u: StaffUser): StaffProfile => ({ username: u.username, name: u.name, role: u.role, teams: u.teams });

export class StaffError extends Error {
  constructor(readonly code: 'EXISTS' | 'NOT_FOUND' | 'INVALID', message: string) {
    super(message);
  }
}

const ALL = Number.MAX_SAFE_INTEGER;

export class StaffDirectory {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(username: string): Promise<StaffUser | undefined> {
    if (!USERNAME.test(username)) return undefined;
    const [doc] = await this.backend.readDocuments([this.keys.deskUser(username)]);
    return doc ? staffUserSchema.parse(JSON.parse(doc.json)) : undefined;
  }

  async list(): Promise<StaffUser[]> {
    const names = await this.backend.due(this.keys.deskUsers(), ALL, 10_000);
    if (names.length === 0) return [];
    const docs = await this.backend.readDocuments(names.map((n) => this.keys.deskUser(n)));
    return docs.flatMap((d) => (d ? [staffUserSchema.parse(JSON.parse(d.json))] : []));
  }

  async add(input: { username: string; name: string; role: Role; teams: string[]; password: string }): Promise<StaffUser> {
    const username = input.username.toLowerCase();
    if (!USERNAME.test(username)) throw new StaffError('INVALID', 'account names are 2–32 of a-z 0-9 . _ - (starting with a letter or digit)');
    const problem = passwordProblem(input.password, username);
    if (problem) throw new StaffError('INVALID', `password: ${problem}`);
    const at = this.now().toISOString();
    const user: StaffUser = {
      username, name: input.name.trim(), role: input.role, teams: [...new Set(input.teams)],
      passwordHash: await hashPassword(input.password), disabled: false, createdAt: at, updatedAt: at, epoch: 1,
    };
    staffUserSchema.parse(user);
    // An expected eTag nobody holds: the write succeeds only where no document exists (an atomic "create").
    const written = await this.backend.writeDocument(this.keys.deskUser(username), { eTag: randomUUID(), json: JSON.stringify(user) }, randomUUID());
    if (written !== 'written') throw new StaffError('EXISTS', `account ${username} exists already`);
    await this.backend.schedule(this.keys.deskUsers(), username, Date.parse(at));
    return user;
  }

  async setPassword(username: string, password: string): Promise<StaffUser> {
    const problem = passwordProblem(password, username);
    if (problem) throw new StaffError('INVALID', `password: ${problem}`);
    const passwordHash = await hashPassword(password);
    return this.update(username, (u) => ({ ...u, passwordHash, epoch: u.epoch + 1 }));
  }

  /** A disabled account cannot log in, and its open sessions end at their next request. */
  setDisabled(username: string, disabled: boolean): Promise<StaffUser> {
    return this.update(username, (u) => ({ ...u, disabled, epoch: u.epoch + 1 }));
  }

  setProfile(username: string, change: Partial<Pick<StaffUser, 'name' | 'role' | 'teams'>>): Promise<StaffUser> {
    return this.update(username, (u) => staffUserSchema.parse({ ...u, ...change }));
  }

  /**
   * The account when the password is right and the account is enabled. An
   * unknown or disabled account costs the same hashing time as a wrong password.
   */
  async authenticate(username: string, password: string): Promise<StaffUser | undefined> {
    const user = await this.get(username.toLowerCase());
    const usable = user && !user.disabled;
    const ok = await verifyPassword(password, usable ? user.passwordHash : await decoyHash());
    return ok && usable ? user : undefined;
  }

  private async update(username: string, change: (u: StaffUser) => StaffUser): Promise<StaffUser> {
    const key = this.keys.deskUser(username);
    for (let attempt = 0; attempt < 10; attempt++) {
      const [doc] = await this.backend.readDocuments([key]);
      if (!doc) throw new StaffError('NOT_FOUND', `no account ${username}`);
      const next = { ...change(staffUserSchema.parse(JSON.parse(doc.json))), updatedAt: this.now().toISOString() };
      if ((await this.backend.writeDocument(key, { eTag: randomUUID(), json: JSON.stringify(next) }, doc.eTag)) === 'written') return next;
    }
    throw new StaffError('INVALID', `account ${username} kept changing; try again`);
  }
}
