/**
 * Content tuning for supervisors (docs/console.md), under the desk's sign-in:
 *   GET    /desk/api/content                 the live version, the draft's state and every text by namespace
 *                                            and key in each language (the draft over the live version)
 *   GET    /desk/api/content/file?path=      one policy or FAQ file as the draft has it
 *   PUT    /desk/api/content/draft/texts     { changes: [{ file, key, text }] } texts changed by key
 *   PUT    /desk/api/content/draft/file      { path, text } a file changed whole (policy and FAQ files; a new FAQ file)
 *   DELETE /desk/api/content/draft           the draft thrown away
 *   GET    /desk/api/content/review          the draft's problems (each at its file and key) and its changes
 *   POST   /desk/api/content/publish         { note } the draft made live on every instance
 *   GET    /desk/api/content/versions        every published version, newest first
 *   POST   /desk/api/content/restore         { version, note } an earlier version made live again
 *   POST   /desk/api/content/preview         { text, locale } the FAQ's and triage's decision on a message under the
 *                                            live version and under the draft
 *   POST   /desk/api/content/try             { conversation?, text?, locale } the test chat: the whole bot under the
 *                                            draft (or the live version), on an in-memory store; no conversation: a
 *                                            new one, and the greeting
 * Agents get 403 on all of them. A draft with any problem is refused (422 with the problems) and nothing live
 * changes.
 */
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { flatten } from '../content/loader';
import { isContentPath, type ContentBundle } from '../content/files';
import type { LiveContent } from '../content/live';
import type { LocaleTree } from '../content/schemas';
import { AppError } from '../errors';
import { sendJson } from '../http/respond';
import type { AuditLog } from '../desk/audit';
import { authenticate, bodyOf, DeskError, deskRoute, type Gate } from '../desk/http';
import type { DeskSession } from '../desk/sessions';
import type { Logger } from '../log';
import { truncatedAddress } from '../http/client-address';
import { applyTextChanges, ContentDrafts, DraftError, withDraft, type Draft } from './drafts';
import { checkBundle, diffBundles } from './review';
import { PreviewCache } from './preview';
import type { SandboxChats } from './sandbox-chats';
import { randomUUID } from 'node:crypto';
import { BundleFiles } from '../content/files';
import { ContentError, loadContent } from '../content/loader';
import { SUPPORTED_LOCALES } from '../content/schemas';

export interface ContentRouteDeps {
  logger: Logger;
  gate: Gate;
  audit: AuditLog;
  live: LiveContent;
  drafts: ContentDrafts;
  addressOf: (req: Request) => string;
  /** Staff display names by username (who published). */
  names: () => Promise<Record<string, string>>;
  now: () => Date;
  /** The test chat's sandboxes (sandbox-chats.ts). */
  sandboxes: SandboxChats;
}

/** The largest file a supervisor may send (the biggest shipped file is about 32 KB). */
const MAX_FILE_BYTES = 256 * 1024;
const note = z.string().trim().min(3).max(500);
const textsBody = z.object({
  changes: z.array(z.object({ file: z.string().max(200), key: z.string().min(1).max(300), text: z.string().max(4000) })).min(1).max(500),
});
const fileBody = z.object({ path: z.string().max(200).refine(isContentPath, 'not a content file'), text: z.string().max(MAX_FILE_BYTES) });

export function registerContentRoutes(server: Server, deps: ContentRouteDeps): void {
  const { live, drafts } = deps;
  const supervisor = async (req: Request, change: boolean): Promise<DeskSession> => {
    const session = await authenticate(req, deps.gate, change);
    if (session.user.role !== 'supervisor') throw new DeskError('FORBIDDEN', 'content is tuned by supervisors', 403);
    return session;
  };
  /** The live files and the caller's draft (one started from an older version still shows over the newest). */
  const state = async (username: string) => {
    const version = await live.versions.liveNumber();
    const files = (await live.versions.files(version)) ?? {};
    const draft = await drafts.get(username);
    return { version, files, draft, merged: withDraft(files, draft) };
  };
  const route = (name: string, handler: (req: Request, res: Response) => Promise<void>) => deskRoute(deps.logger, `content.${name}`, handler);

  server.get('/desk/api/content', route('overview', async (req, res) => {
    const session = await supervisor(req, false);
    const { version, draft, merged } = await state(session.user.username);
    sendJson(res, 200, {
      live: version,
      draft: draft ? { base: draft.base, files: Object.keys(draft.files).sort(), updatedAt: draft.updatedAt, behind: draft.base !== version } : null,
      texts: textsOf(merged),
      files: Object.keys(merged).filter((f) => !f.startsWith('locales/')).sort(),
    });
  }));

  // Any content file, locale files included (the console edits those text by text, but reads them whole).
  server.get('/desk/api/content/file', route('file', async (req, res) => {
    const session = await supervisor(req, false);
    const path = String((req.query as Record<string, unknown> | undefined)?.path ?? '');
    const { merged } = await state(session.user.username);
    if (!isContentPath(path) || merged[path] === undefined) throw new DeskError('NOT_FOUND', 'no such content file', 404);
    sendJson(res, 200, { path, text: merged[path] });
  }));

  /** The draft with `changed` files over it (`merged`: the live files with the draft over them, from state()). */
  const saveDraft = async (username: string, changed: ContentBundle, version: number, draft: Draft | undefined) => {
    const files = { ...(draft?.files ?? {}), ...changed };
    return drafts.save(username, { base: draft?.base ?? version, files });
  };

  server.put('/desk/api/content/draft/texts', route('draftTexts', async (req, res) => {
    const session = await supervisor(req, true);
    const body = await bodyOf(req, textsBody, 512 * 1024);
    const { version, draft, merged } = await state(session.user.username);
    try {
      const saved = await saveDraft(session.user.username, applyTextChanges(merged, body.changes), version, draft);
      sendJson(res, 200, { files: Object.keys(saved.files).sort() });
    } catch (error) {
      if (error instanceof DraftError) throw new DeskError('BAD_REQUEST', error.message, 400, { file: error.file, key: error.key });
      throw error;
    }
  }));

  server.put('/desk/api/content/draft/file', route('draftFile', async (req, res) => {
    const session = await supervisor(req, true);
    const body = await bodyOf(req, fileBody, MAX_FILE_BYTES * 2);
    const { version, draft, merged } = await state(session.user.username);
    if (merged[body.path] === undefined && !body.path.startsWith('faq/')) throw new DeskError('NOT_FOUND', 'only FAQ files can be added', 404);
    const saved = await saveDraft(session.user.username, { [body.path]: body.text }, version, draft);
    sendJson(res, 200, { files: Object.keys(saved.files).sort() });
  }));

  server.del('/desk/api/content/draft', route('discard', async (req, res) => {
    const session = await supervisor(req, true);
    await drafts.discard(session.user.username);
    sendJson(res, 200, { discarded: true });
  }));

  server.get('/desk/api/content/review', route('review', async (req, res) => {
    const session = await supervisor(req, false);
    const { version, files, merged } = await state(session.user.username);
    sendJson(res, 200, { live: version, problems: checkBundle(merged, 'draft'), changes: diffBundles(files, merged) });
  }));

  server.post('/desk/api/content/publish', route('publish', async (req, res) => {
    const session = await supervisor(req, true);
    const body = await bodyOf(req, z.object({ note }));
    const { version, files, merged, draft } = await state(session.user.username);
    if (!draft) throw new DeskError('BAD_REQUEST', 'there is no draft to publish', 400);
    // Someone published since this draft began: refuse only when they changed a file this draft changes too.
    if (draft.base !== version) {
      const started = (await live.versions.files(draft.base)) ?? {};
      const both = Object.keys(draft.files).filter((f) => started[f] !== files[f]);
      if (both.length > 0) throw new DeskError('STALE_VERSION', `version ${version} changed the same files since this draft began`, 409, { files: both });
    }
    const problems = checkBundle(merged, 'draft');
    if (problems.length > 0) return void sendJson(res, 422, { error: { code: 'CONTENT_INVALID', message: 'the draft has problems', problems } });
    // The draft goes over the newest version; `base` only guards against two publishes at the same moment.
    const meta = await publishOrExplain(() => live.versions.publish({ files: merged, by: session.user.username, note: body.note, base: version }));
    await drafts.discard(session.user.username);
    await afterPublish(deps, req, session, meta.version, 'content_publish');
    sendJson(res, 200, { version: meta });
  }));

  registerPreviewRoute(server, deps, supervisor, state);
  registerTryRoute(server, deps, supervisor, state);

  server.get('/desk/api/content/versions', route('versions', async (req, res) => {
    await supervisor(req, false);
    sendJson(res, 200, { live: await live.versions.liveNumber(), inUse: live.version, versions: await live.versions.history(), names: await deps.names() });
  }));

  server.post('/desk/api/content/restore', route('restore', async (req, res) => {
    const session = await supervisor(req, true);
    const body = await bodyOf(req, z.object({ version: z.number().int().min(0), note }));
    const files = await live.versions.files(body.version);
    if (!files) throw new DeskError('NOT_FOUND', 'no such version', 404);
    const problems = checkBundle(files, `version ${body.version}`);
    if (problems.length > 0) return void sendJson(res, 422, { error: { code: 'CONTENT_INVALID', message: 'that version is not accepted by this release', problems } });
    const current = await live.versions.liveNumber();
    const meta = await publishOrExplain(() => live.versions.publish({ files, by: session.user.username, note: body.note, base: current, restoredFrom: body.version }));
    await afterPublish(deps, req, session, meta.version, 'content_restore');
    sendJson(res, 200, { version: meta });
  }));
}

function registerPreviewRoute(server: Server, deps: ContentRouteDeps, supervisor: (req: Request, change: boolean) => Promise<DeskSession>, state: (username: string) => Promise<{ version: number; draft?: Draft; merged: ContentBundle }>): void {
  const cache = new PreviewCache();
  const body = z.object({ text: z.string().trim().min(1).max(500), locale: z.enum(SUPPORTED_LOCALES) });
  server.post('/desk/api/content/preview', deskRoute(deps.logger, 'content.preview', async (req, res) => {
    const session = await supervisor(req, true);
    const { text, locale } = await bodyOf(req, body);
    const now = deps.now();
    const live = cache.outcome(`live:${deps.live.version}`, () => deps.live.content, text, locale, now);
    const { version, draft, merged } = await state(session.user.username);
    if (!draft) return void sendJson(res, 200, { live, draft: null });
    try {
      const tag = `draft:${session.user.username}:${draft.updatedAt}:${version}`;
      sendJson(res, 200, { live, draft: cache.outcome(tag, () => loadContent(new BundleFiles(merged, 'draft')), text, locale, now) });
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      sendJson(res, 200, { live, draft: { invalid: true, problems: error.problems.length } });
    }
  }));
}

function registerTryRoute(server: Server, deps: ContentRouteDeps, supervisor: (req: Request, change: boolean) => Promise<DeskSession>, state: (username: string) => Promise<{ version: number; draft?: Draft; merged: ContentBundle }>): void {
  const body = z.object({
    conversation: z.string().regex(/^try-[0-9a-f-]{36}$/).optional(),
    text: z.string().trim().min(1).max(2000).optional(),
    locale: z.enum(SUPPORTED_LOCALES),
  });
  server.post('/desk/api/content/try', deskRoute(deps.logger, 'content.try', async (req, res) => {
    const session = await supervisor(req, true);
    const asked = await bodyOf(req, body);
    const { username } = session.user;
    const { version, draft, merged } = await state(username);
    const tag = draft ? `draft:${draft.updatedAt}:${version}` : `live:${deps.live.version}`;
    const content = () => (draft ? loadContent(new BundleFiles(merged, 'draft')) : deps.live.content);
    const conversation = asked.conversation ?? `try-${randomUUID()}`;
    try {
      // A new conversation starts with the greeting; a message without a conversation is answered after it.
      const greeting = asked.conversation ? [] : await deps.sandboxes.say(username, tag, content, conversation, asked.locale);
      const replies = asked.text !== undefined ? await deps.sandboxes.say(username, tag, content, conversation, asked.locale, asked.text) : [];
      sendJson(res, 200, { conversation, draft: Boolean(draft), replies: [...greeting, ...replies] });
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      sendJson(res, 422, { error: { code: 'CONTENT_INVALID', message: 'the draft has problems', problems: error.problems.length } });
    }
  }));
}

/** The store's refusals as the desk's: nothing changed, or someone published at the same moment. */
async function publishOrExplain<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOTHING_CHANGED') throw new DeskError('BAD_REQUEST', 'nothing differs from the live version', 400, { reason: 'NOTHING_CHANGED' });
    if (error instanceof AppError && error.code === 'STALE_VERSION') throw new DeskError('STALE_VERSION', error.message, 409);
    throw error;
  }
}

/** This instance takes the version at once (the others within seconds), and the audit log says who did it. */
async function afterPublish(deps: ContentRouteDeps, req: Request, session: DeskSession, version: number, action: 'content_publish' | 'content_restore'): Promise<void> {
  await deps.live.check().catch(() => undefined);
  await deps.audit.record({ staff: session.user.username, action, version, client: truncatedAddress(deps.addressOf(req)) });
}

/** Every text of the locale files: namespace → key → language → text. */
function textsOf(files: ContentBundle): Record<string, Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, Record<string, string>>> = {};
  for (const [file, text] of Object.entries(files)) {
    const m = /^locales\/([\w-]+)\/([\w-]+)\.json$/.exec(file);
    if (!m) continue;
    let tree: LocaleTree;
    try {
      tree = JSON.parse(text) as LocaleTree;
    } catch {
      continue;
    }
    const [, locale, ns] = m as unknown as [string, string, string];
    const space = (out[ns] ??= {});
    for (const [key, value] of flatten(tree)) (space[key] ??= {})[locale] = value;
  }
  return out;
}
