/**
 * What the status schedule tells staff (issue 13), in the desk:
 *   GET /desk/api/alerts                       reminders before a promised date and escalations after a missed
 *        one, newest first: an agent sees their teams' (never a complaint that names them), a supervisor all
 *   GET /desk/api/satisfaction?month=YYYY-MM   (supervisors) the month's survey answers, the share satisfied (4–5)
 *        and the policy's target
 */
import type { Server } from 'restify';
import type { StaffAlerts } from '../notify/alerts';
import type { Surveys } from '../notify/survey';
import { sendJson } from '../http/respond';
import type { TicketService } from '../tickets/service';
import { teamsOf, visibleTo } from './complaint-views';
import type { DeskContext } from './context';
import { authenticate, DeskError, deskRoute } from './http';
import { deskTeams } from './policy';

export function registerAlertRoutes(server: Server, d: DeskContext, alerts: StaffAlerts, surveys: Surveys, tickets: TicketService): void {
  const allTeams = deskTeams(d.content.complaints);

  server.get('/desk/api/alerts', deskRoute(d.logger, 'desk.alerts', async (req, res) => {
    const session = await authenticate(req, d.gate, false);
    const teams = teamsOf(session.user, allTeams);
    const [recent, staff] = await Promise.all([alerts.recent(200), d.staff.list()]);
    const mine = recent.filter((a) => teams.includes(a.department) && (session.user.role === 'supervisor' || a.kind === 'remind'));
    // Recusal holds here too: an alert on a complaint the staff member may not see is not shown to them.
    const found = await Promise.all(mine.map((a) => tickets.get(a.number).catch(() => undefined)));
    const shown = mine.flatMap((a, i) => {
      const ticket = found[i];
      return ticket && visibleTo(ticket, session.user, allTeams, staff) ? [{ ...a, status: ticket.status }] : [];
    });
    sendJson(res, 200, { alerts: shown, names: Object.fromEntries(staff.map((u) => [u.username, u.name])) });
  }));

  server.get('/desk/api/satisfaction', deskRoute(d.logger, 'desk.satisfaction', async (req, res) => {
    const session = await authenticate(req, d.gate, false);
    if (session.user.role !== 'supervisor') throw new DeskError('FORBIDDEN', 'satisfaction figures are for supervisors', 403);
    const asked = (req.query as Record<string, unknown> | undefined)?.month;
    const month = typeof asked === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(asked) ? asked : surveys.month(d.now());
    sendJson(res, 200, { ...(await surveys.figures(month)), target: d.content.complaints.notices.schedule.satisfactionTarget });
  }));
}
