/**
 * The holiday calendar's coverage at start-up and in /readyz: a warning (not a
 * failure) when the current or next year has no published schedule.
 */
import { http, startTestApp, type TestApp } from '../support/harness';

describe('calendar coverage in /readyz and at start-up', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const t of apps) await t.close();
  });
  const start = async (iso: string) => {
    const t = await startTestApp({ now: () => new Date(iso), scheduler: false });
    apps.push(t);
    return t;
  };

  it('stays ready but reports 2027 as unpublished in December 2026, and logs it once at start-up', async () => {
    const t = await start('2026-12-01T10:00:00+08:00');
    const ready = await http<any>('GET', `${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
    expect(ready.body.details.calendar).toMatchObject({ ok: false, unpublished: [2027], years: { '2026': 'library', '2027': 'rules' } });
    const warnings = t.logs.filter((l) => l.includes('CALENDAR_UNPUBLISHED'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 40, years: [2027] });
  });

  it('reports nothing missing when both years are published', async () => {
    const t = await start('2025-06-01T10:00:00+08:00');
    const ready = await http<any>('GET', `${t.url}/readyz`);
    expect(ready.body.details.calendar).toEqual({ ok: true, unpublished: [], years: { '2025': 'library', '2026': 'library' } });
    expect(t.logs.filter((l) => l.includes('CALENDAR_UNPUBLISHED'))).toEqual([]);
  });
});
