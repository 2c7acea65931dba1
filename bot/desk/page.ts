/**
 * The desk page, its static files and its live stream:
 *   GET /desk               the sign-in page, or the desk when signed in (?lang=zh-CN|zh-TW|en)
 *   GET /desk/assets/:name  the desk's script modules and style sheet (bot/desk/public/, served by us: no CDN)
 *   GET /desk/events        Server-Sent Events (bot/desk/events.ts)
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { DEFAULT_LOCALE, SUPPORTED_LOCALES, type SupportedLocale } from '../content/schemas';
import { newNonce, pageHeaders } from '../http/security-headers';
import type { DeskContext } from './context';
import { DeskError, deskRoute, passiveSession } from './http';
import { renderDeskPage, type PageData } from './page-html';
import { profileOf } from './staff';

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** bot/desk/public beside this file when run from source; from dist/, the same folder in the source tree. */
function assetDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, 'public'), path.join(dir, 'bot', 'desk', 'public')]) {
      if (existsSync(path.join(candidate, 'main.js'))) return candidate;
    }
    if (path.dirname(dir) === dir) throw new Error('bot/desk/public not found');
  }
}

/** Libraries the pages use, served from node_modules by us (no CDN): the report charts. */
const VENDOR: Record<string, () => string> = {
  'chart.umd.min.js': () => path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
};

/** Read once at start: a handful of small files, served from memory. */
function loadAssets(): { files: Map<string, Asset>; version: string } {
  const dir = assetDir();
  const files = new Map<string, Asset>();
  const all = createHash('sha256');
  const sources = [...readdirSync(dir).sort().map((name) => [name, path.join(dir, name)] as const), ...Object.entries(VENDOR).map(([name, where]) => [name, where()] as const)];
  for (const [name, file] of sources) {
    const type = TYPES[path.extname(name)];
    if (!type) continue;
    const body = readFileSync(file);
    all.update(name).update(body);
    files.set(name, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` });
  }
  return { files, version: all.digest('base64url').slice(0, 12) };
}

function localeOf(req: Request): SupportedLocale {
  const lang = (req.query as Record<string, unknown> | undefined)?.lang;
  return SUPPORTED_LOCALES.find((l) => l === lang) ?? DEFAULT_LOCALE;
}

export function registerDeskPage(server: Server, d: DeskContext, heartbeatMs: number, features: PageData['features']): void {
  const assets = loadAssets();
  const headers = (nonce: string) => pageHeaders({ frameAncestors: "'none'", connectSources: [], https: d.gate.secure }, nonce);

  const page = deskRoute(d.logger, 'desk.page', async (req: Request, res: Response) => {
    const session = await passiveSession(req, d.gate);
    // Opening the page is the staff member's own doing: it counts as activity.
    if (session) await d.sessions.touch(session.tokenHash);
    const nonce = newNonce();
    const html = renderDeskPage(d.content, {
      locale: localeOf(req), assetVersion: assets.version, heartbeatMs, replyMaxChars: d.policy.replyMaxChars, timeZone: d.content.complaints.timeLimits.timezone,
      features, appealWindowDays: d.content.complaints.timeLimits.reopenWithinCalendarDays,
      ...(session ? { me: profileOf(session.user), csrf: session.csrf } : {}),
    }, nonce);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...headers(nonce) });
    res.end(html);
  });
  server.get('/desk', page);
  server.get('/desk/', page);

  server.get('/desk/assets/:name', deskRoute(d.logger, 'desk.asset', async (req: Request, res: Response) => {
    const asset = assets.files.get(String(req.params.name ?? ''));
    if (!asset) throw new DeskError('NOT_FOUND', 'no such file', 404);
    const common = { ETag: asset.etag, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' };
    // no-cache + ETag: the browser asks each time and gets a 304 while nothing changed (module imports carry no version).
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, common);
      return void res.end();
    }
    res.writeHead(200, { ...common, 'Content-Type': asset.type, 'Content-Length': asset.body.length });
    res.end(asset.body);
  }));

  server.get('/desk/events', deskRoute(d.logger, 'desk.events', async (req: Request, res: Response) => {
    // The stream is not activity: an unattended desk still reaches its idle timeout.
    const session = await passiveSession(req, d.gate);
    if (!session) throw new DeskError('SESSION_EXPIRED', 'sign in again', 401);
    await d.events.open(res, session);
  }));
}
