// tests/e2e/console_patrol.mjs: 巡更 in the console (loaded by run.mjs). Through the
// API a fresh project, its manager and a guard; in the browser the manager makes a
// route of two checkpoints in the dialog (the first a key area) and sees it listed;
// through the API an hourly patrol plan on it for the guard (its current round
// made at once) and the guard's scan of the first checkpoint. 今日巡更 shows the
// round going to 1/2 live, without a reload; its drawer shows the first
// checkpoint scanned and the second 待打卡.
import { join } from 'node:path';

export default function register(test, { api, OUT, ADMIN_PW }) {
  test('console: 巡更路线 dialog makes a route, 今日巡更 shows a scan live and the round in the drawer', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const suffix = Date.now().toString(36).slice(-5).toUpperCase();
    const post = async (path, body, token = admin) => {
      const r = await api(base, 'POST', path, token, body);
      if (r.status !== 201) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    };
    const proj = await post('/projects', { code: 'PB' + suffix, name: '巡更看板苑' + suffix, address: '南京市建邺区', service_level: 2 });
    const PW = 'e2e-Manager-2026!';
    const mgr = await post('/staff', { username: `e2e_pb_m_${suffix.toLowerCase()}`, password: PW, name: '巡更李经理', role: 'manager', department: '管理处', project_ids: [proj.id] });
    const guard = await post('/staff', { username: `e2e_pb_g_${suffix.toLowerCase()}`, password: PW, name: '巡更赵师傅', role: 'guard', department: '秩序部', project_ids: [proj.id] });

    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(base + '/login');
    await page.getByTestId('login-username').fill(mgr.username);
    await page.getByTestId('login-password').fill(PW);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));

    // 巡更路线: a route of two checkpoints made in the dialog
    await page.getByTestId('menu-patrol-routes').click();
    await page.getByTestId('route-create').click();
    await page.getByTestId('route-name').fill('夜间巡更' + suffix);
    await page.getByTestId('cp-name-0').fill('东门岗亭');
    await page.getByTestId('cp-place-0').fill('小区东门');
    await page.getByTestId('cp-key-0').click();
    await page.getByTestId('cp-add').click();
    await page.getByTestId('cp-name-1').fill('地下车库B1');
    await page.getByTestId('cp-place-1').fill('车库入口');
    await page.getByTestId('route-save').click();
    await page.getByTestId('route-save').waitFor({ state: 'hidden' });
    const route = (await api(base, 'GET', `/patrol-routes?project_id=${proj.id}`, admin)).json.items[0];
    if (!route || route.checkpoints.length !== 2 || !route.checkpoints[0].key_area || route.checkpoints[1].key_area || route.checkpoints[0].place !== '小区东门') {
      throw new Error('route made as ' + JSON.stringify(route));
    }
    await page.getByTestId(`route-row-${route.id}`).waitFor();
    const n = (await page.getByTestId(`route-count-${route.id}`).textContent()).trim();
    if (n !== '2') throw new Error('route list shows ' + n + ' checkpoints');

    // an hourly plan for the guard: its round under way now
    const start = new Date(Date.now() - 10 * 60000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const plan = await post('/plans', {
      project_id: proj.id, kind: 'patrol', title: '每小时巡逻' + suffix, rrule: 'FREQ=HOURLY', dtstart: start,
      window_minutes: 45, route_id: route.id, assign: { staff_id: guard.id },
    });
    const rounds = (await api(base, 'GET', `/tasks?plan_id=${plan.id}&state=scheduled&limit=5`, admin)).json.items;
    const round = rounds.find((x) => Date.parse(x.starts_at) <= Date.now());
    if (!round) throw new Error('no open round: ' + JSON.stringify(rounds.slice(0, 2)));

    // 今日巡更: the round at 0/2, the live stream open
    await page.getByTestId('menu-patrol-board').click();
    await page.getByTestId(`patrol-row-${round.id}`).waitFor();
    await page.getByTestId(`patrol-progress-${round.id}`).getByText('0/2').waitFor();
    await page.locator('[data-testid="live-state"].open').waitFor();

    // the guard scans the first checkpoint: 1/2 without a reload
    const gtok = (await api(base, 'POST', '/auth/login', null, { username: guard.username, password: PW })).json.token;
    const scan = await post(`/tasks/${round.id}/checkins`, { token: route.checkpoints[0].token }, gtok);
    if (scan.finished) throw new Error('one scan of two finished the round');
    await page.getByTestId(`patrol-progress-${round.id}`).getByText('1/2').waitFor({ timeout: 8000 });
    await page.getByTestId(`patrol-state-${round.id}`).getByText('进行中').waitFor();
    // the figures count the list: every round of today's rest of the plan
    const listed = await page.locator('[data-testid^="patrol-row-"]').count();
    const due = (await page.getByTestId('patrol-fig-due').locator('b').textContent()).trim();
    if (!listed || due !== String(listed)) throw new Error(`today's rounds: figure ${due}, list ${listed}`);

    // the drawer: the first checkpoint scanned, the second 待打卡
    await page.getByTestId(`patrol-row-${round.id}`).click();
    const drawer = page.getByTestId('patrol-drawer');
    const [first, second] = route.checkpoints.map((c) => drawer.getByTestId(`patrol-cp-${c.id}`));
    await first.getByText('东门岗亭').waitFor();
    await first.getByText('重点').waitFor();
    if (await first.getByText('待打卡').count()) throw new Error('the scanned checkpoint shows 待打卡');
    const hm = scan.scanned_at.slice(11, 16);
    await first.getByText(hm).waitFor();
    await second.getByText('待打卡').waitFor();
    await page.waitForTimeout(400); // the drawer's slide
    await page.screenshot({ path: join(OUT, 'console-patrol-board.png') });
    await ctx.close();
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  });
}
