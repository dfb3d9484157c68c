// tests/e2e/staff_patrol.mjs: a patrol round walked on the staff phone (loaded by
// run.mjs). Through the API: a fresh project, a guard, a route of two checkpoints
// 1.1 km apart (the gate a key area) and an hourly patrol plan for the guard. On a
// 390×844 phone whose position is the gate, the guard opens the round from 我的任务
// (both checkpoints 待打卡), scans the gate's QR from 扫码 (a photo of it), checks in
// (located, a few metres from the point, no flag), scans the garage's QR still
// standing at the gate: the scan is kept but flagged 超出点位范围, and being the last
// it completes the round; the round shows both scans and the flag. From the garage
// the guard reports a light out: a ticket of channel patrol with the place.
import { join } from 'node:path';
import { qrPng } from './staff_tasks.mjs';

const GATE = { latitude: 31.2304, longitude: 121.4737 };
const GARAGE = { latitude: 31.2404, longitude: 121.4737 }; // 1.1 km north

export default function register(test, { api, OUT, ADMIN_PW }) {
  test('staff: a guard walks a patrol round on the phone — scan, check in with GPS, a far scan flagged, the round completes, a report from a checkpoint', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const suffix = Date.now().toString(36).slice(-5).toUpperCase();
    const post = async (path, body) => {
      const r = await api(base, 'POST', path, admin, body);
      if (r.status !== 201) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    };
    const proj = await post('/projects', { code: 'PTL' + suffix, name: '巡更测试苑' + suffix, address: '南京市鼓楼区', service_level: 2 });
    const PW = 'e2e-Guard-2026!';
    const guard = await post('/staff', { username: `e2e_guard_${suffix.toLowerCase()}`, password: PW, name: '巡更王师傅', role: 'guard', department: '秩序部', project_ids: [proj.id] });
    const route = await post('/patrol-routes', {
      project_id: proj.id, name: '夜间巡更',
      checkpoints: [
        { name: '东门岗亭', place: '小区东门', lat: GATE.latitude, lng: GATE.longitude, radius_m: 50, key_area: true },
        { name: '地下车库B1', place: '车库入口', lat: GARAGE.latitude, lng: GARAGE.longitude, radius_m: 50 },
      ],
    });
    const [gate, garage] = route.checkpoints;
    const start = new Date(Date.now() - 10 * 60000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const plan = await post('/plans', {
      project_id: proj.id, kind: 'patrol', title: '每小时巡逻', rrule: 'FREQ=HOURLY', dtstart: start,
      window_minutes: 45, route_id: route.id, assign: { staff_id: guard.id },
    });
    const rounds = (await api(base, 'GET', `/tasks?plan_id=${plan.id}&state=scheduled&limit=5`, admin)).json.items;
    const round = rounds.find((x) => Date.parse(x.starts_at) <= Date.now());
    if (!round || round.assignee_id !== guard.id) throw new Error('no open round for the guard: ' + JSON.stringify(rounds.slice(0, 2)));

    const ctx = await browser.newContext({
      viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
      geolocation: GATE, permissions: ['geolocation'],
    });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(base + '/w/');
    await page.waitForURL('**/w/login');
    await page.getByTestId('staff-login-username').locator('input').fill(guard.username);
    await page.getByTestId('staff-login-password').locator('input').fill(PW);
    await page.getByTestId('staff-login-submit').click();
    await page.getByTestId(`staff-task-${round.id}`).click();
    await page.waitForURL(`**/w/tasks/${round.id}`);
    await page.getByTestId(`round-cp-${gate.id}`).getByText('下一个').waitFor();
    await page.getByTestId(`round-cp-${garage.id}`).getByText('待打卡').waitFor();
    if (await page.getByTestId('task-finish').count()) throw new Error('a patrol round offers 完成任务');

    // 扫码打卡 → the gate's QR → its check-in page
    await page.getByTestId('round-scan').click();
    await page.waitForURL('**/w/scan');
    await page.getByTestId('scan-file').setInputFiles({ name: 'qr.png', mimeType: 'image/png', buffer: qrPng(`${base}/w/c/${gate.token}`) });
    await page.waitForURL(`**/w/c/${gate.token}`);
    await page.getByTestId('cp-head').getByText('东门岗亭').waitFor();
    await page.getByTestId('cp-round').getByText('每小时巡逻').waitFor();
    await page.getByTestId('cp-gps').getByText('已定位').waitFor();
    await page.getByTestId('cp-note').locator('textarea').fill('东门道闸正常');
    await page.getByTestId('cp-checkin').click();
    await page.getByTestId('cp-done').getByText('已打卡').waitFor();
    const dist = await page.getByTestId('cp-distance').textContent();
    const m = /距点位 (\d+) 米/.exec(dist);
    if (!m || Number(m[1]) > 50) throw new Error('distance shown: ' + dist);
    if (await page.getByTestId('cp-flags').count()) throw new Error('a scan at the point is flagged');

    // the garage, scanned from the gate: kept, flagged far; the last checkpoint ends the round
    await page.getByTestId('cp-next').click();
    await page.waitForURL('**/w/scan');
    await page.getByTestId('scan-file').setInputFiles({ name: 'qr.png', mimeType: 'image/png', buffer: qrPng(`${base}/w/c/${garage.token}`) });
    await page.waitForURL(`**/w/c/${garage.token}`);
    await page.getByTestId('cp-gps').getByText('已定位').waitFor();
    await page.getByTestId('cp-checkin').click();
    await page.getByTestId('cp-flags').getByText('超出点位范围').waitFor();
    await page.getByTestId('cp-finished').waitFor();
    await page.screenshot({ path: join(OUT, 'staff-patrol-far.png') });
    await page.getByTestId('cp-open-round').click();
    await page.waitForURL(`**/w/tasks/${round.id}`);
    await page.getByTestId('task-state').getByText('已完成').waitFor();
    await page.getByTestId(`round-cp-${gate.id}`).getByText('已打卡').waitFor();
    await page.getByTestId(`round-cp-${garage.id}`).getByText('超出点位范围').waitFor();
    await page.screenshot({ path: join(OUT, 'staff-patrol-round.png') });

    // 上报问题 from the garage: a ticket of channel patrol on this place
    await page.goto(`${base}/w/c/${garage.token}`);
    await page.getByTestId('cp-report-open').click();
    await page.getByTestId('cp-report-cat-公共照明').click();
    await page.getByTestId('cp-report-text').locator('textarea').fill('车库B1东侧照明灯不亮');
    await page.getByTestId('cp-report-send').click();
    const reported = await page.getByTestId('cp-reported').textContent();
    const no = /工单 (\S+)/.exec(reported);
    if (!no) throw new Error('report shows: ' + reported);
    const tk = (await api(base, 'GET', `/tickets?project_id=${proj.id}&limit=5`, admin)).json.items.find((x) => x.no === no[1]);
    if (!tk || tk.channel !== 'patrol' || tk.category !== '公共照明' || !tk.title.includes('地下车库B1')) throw new Error('ticket ' + JSON.stringify(tk));
    const full = (await api(base, 'GET', `/tickets/${tk.id}`, admin)).json;
    if (!full.description.includes('车库入口') || !full.description.includes('照明灯不亮')) throw new Error('description ' + full.description);

    const scans = (await api(base, 'GET', `/tasks/${round.id}/checkins`, admin)).json.items;
    if (scans.length !== 2 || scans[0].checkpoint_id !== gate.id || scans[0].far || !scans[1].far) throw new Error('scans ' + JSON.stringify(scans));
    const t = (await api(base, 'GET', `/tasks/${round.id}`, admin)).json;
    if (t.state !== 'done') throw new Error('round state ' + t.state);
    const note = t.items.find((i) => i.key === String(gate.id)).result.note;
    if (note !== '东门道闸正常') throw new Error('the note kept: ' + note);
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
    await ctx.close();
  });
}
