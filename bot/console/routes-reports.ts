/**
 * The supervisors' reports (docs/console.md), under the desk's sign-in:
 *   GET /desk/api/reports?from=YYYY-MM-DD&to=YYYY-MM-DD      the report (default: the policy's last N days)
 *   GET /desk/api/reports/:table.csv?from&to&lang             one table as CSV (bot/console/report-tables.ts)
 * Supervisors only. A range longer than the policy allows, or a malformed date, is refused with 400.
 */
import type { Request, Response, Server } from 'restify';
import { DEFAULT_LOCALE, SUPPORTED_LOCALES, type SupportedLocale } from '../content/schemas';
import type { Content } from '../content/loader';
import { pageTexts } from '../desk/page-html';
import { authenticate, DeskError, deskRoute, type Gate } from '../desk/http';
import { sendJson } from '../http/respond';
import type { Logger } from '../log';
import { toCsv } from '../reports/csv';
import type { Reports } from '../reports/report';
import { addCalendarDays } from '../tickets/calendar';
import { REPORT_TABLES, reportTable, type ReportTable } from './report-tables';

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export interface ReportRouteDeps {
  logger: Logger;
  gate: Gate;
  reports: Reports;
  content: Content;
}

export function registerReportRoutes(server: Server, deps: ReportRouteDeps): void {
  const supervisorRange = async (req: Request): Promise<{ from: string; to: string }> => {
    const session = await authenticate(req, deps.gate, false);
    if (session.user.role !== 'supervisor') throw new DeskError('FORBIDDEN', 'reports are for supervisors', 403);
    const query = (req.query ?? {}) as Record<string, unknown>;
    const policy = deps.content.reports;
    const to = typeof query.to === 'string' ? query.to : deps.reports.today();
    const from = typeof query.from === 'string' ? query.from : addCalendarDays(to, -(policy.defaultDays - 1));
    if (!DAY.test(from) || !DAY.test(to) || from > to) throw new DeskError('BAD_REQUEST', 'from and to are dates (YYYY-MM-DD), from not after to', 400);
    if (addCalendarDays(from, policy.maxDays - 1) < to) throw new DeskError('BAD_REQUEST', `at most ${policy.maxDays} days`, 400, { reason: 'RANGE_TOO_LONG', days: policy.maxDays });
    return { from, to };
  };

  server.get('/desk/api/reports', deskRoute(deps.logger, 'reports.show', async (req: Request, res: Response) => {
    const { from, to } = await supervisorRange(req);
    sendJson(res, 200, await deps.reports.build(from, to));
  }));

  server.get('/desk/api/reports/:table', deskRoute(deps.logger, 'reports.csv', async (req: Request, res: Response) => {
    const name = String(req.params.table ?? '').replace(/\.csv$/, '');
    if (!(REPORT_TABLES as readonly string[]).includes(name)) throw new DeskError('NOT_FOUND', 'no such table', 404);
    const { from, to } = await supervisorRange(req);
    const lang = (req.query as Record<string, unknown> | undefined)?.lang;
    const locale: SupportedLocale = SUPPORTED_LOCALES.find((l) => l === lang) ?? DEFAULT_LOCALE;
    const table = reportTable(await deps.reports.build(from, to), name as ReportTable, pageTexts(deps.content, locale));
    const body = Buffer.from(toCsv(table.header, table.rows), 'utf8');
    res.writeHead(200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}-${from}-${to}.csv"`,
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(body);
  }));
}
