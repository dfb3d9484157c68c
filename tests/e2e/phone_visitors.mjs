// tests/e2e/phone_visitors.mjs: the visitors' register on the two phones (loaded by
// run.mjs). A resident of a fresh project pre-registers a guest on /m/visitors and
// gets a 6-digit pass code; the project's guard, on /w/visitors, first types a wrong
// code (refused), then the right one (checked in, named with the room), registers a
// walk-in courier, lets him leave; the day's line reads 2 came, 1 inside, 50 % / 50 %.
import { join } from 'node:path';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

export default function register(test, { api, OUT, ADMIN_PW }) {
  test('phones: a resident pre-registers a visitor, the guard checks the pass code and registers a walk-in', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const suffix = Date.now().toString(36).slice(-5).toUpperCase();
    const post = async (path, body, status = 201) => {
      const r = await api(base, 'POST', path, admin, body);
      if (r.status !== status) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    };
    const proj = await post('/projects', { code: 'VIS' + suffix, name: '访客测试苑' + suffix, address: '苏州市姑苏区', service_level: 2 });
    const b = await post(`/projects/${proj.id}/buildings`, { name: '5栋', floors: 20 });
    const room = await post(`/projects/${proj.id}/rooms`, { building_id: b.id, unit: '2单元', floor: 12, number: '1201' });
    const phone = '137' + String(Date.now()).slice(-8);
    const res = await post(`/projects/${proj.id}/residents`, { name: '业主周女士', phone, kind: 'owner', room_ids: [room.id] });
    const RPW = 'Resident-e2e-2026';
    await post(`/residents/${res.id}/password`, { password: RPW }, 204);
    const GPW = 'e2e-Guard-2026!';
    const guard = await post('/staff', { username: `e2e_gate_${suffix.toLowerCase()}`, password: GPW, name: '门岗刘师傅', role: 'guard', department: '秩序部', project_ids: [proj.id] });
    const errors = [];

    // the resident
    const rctx = await browser.newContext(PHONE);
    const rp = await rctx.newPage();
    rp.on('pageerror', (e) => errors.push('resident: ' + e));
    await rp.goto(base + '/m/');
    await rp.waitForURL('**/m/login**');
    await rp.getByRole('tab', { name: '密码登录' }).click();
    await rp.locator('#resident-phone').fill(phone);
    await rp.locator('#resident-password').fill(RPW);
    await rp.getByTestId('resident-submit').click();
    await rp.getByTestId('visitors-open').click();
    await rp.waitForURL('**/m/visitors');
    await rp.getByTestId('visitor-name').locator('input').fill('周先生的同学王强');
    await rp.getByTestId('visitor-plate').locator('input').fill('苏E·66666');
    await rp.getByTestId('visitor-submit').click();
    const code = (await rp.getByTestId('visitor-code').textContent()).trim();
    if (!/^\d{6}$/.test(code)) throw new Error('pass code shown: ' + code);
    await rp.getByText('待到访').first().waitFor();
    await rp.screenshot({ path: join(OUT, 'resident-visitor.png') });

    // the guard
    const gctx = await browser.newContext(PHONE);
    const gp = await gctx.newPage();
    gp.on('pageerror', (e) => errors.push('guard: ' + e));
    await gp.goto(base + '/w/login');
    await gp.getByTestId('staff-login-username').locator('input').fill(guard.username);
    await gp.getByTestId('staff-login-password').locator('input').fill(GPW);
    await gp.getByTestId('staff-login-submit').click();
    await gp.waitForURL((u) => u.pathname === '/w/' || u.pathname === '/w');
    await gp.getByTestId('tab-visitors').click();
    await gp.waitForURL('**/w/visitors');
    const wrong = String((Number(code) + 1) % 1000000).padStart(6, '0');
    await gp.getByTestId('visitors-code').fill(wrong);
    await gp.getByTestId('visitors-code-go').click();
    await gp.getByTestId('visitors-code-msg').getByText('通行码').waitFor();
    await gp.getByTestId('visitors-code').fill(code);
    await gp.getByTestId('visitors-code-go').click();
    await gp.getByTestId('visitors-code-msg').getByText('王强 已核验放行 5栋 2单元 1201').waitFor();
    // a walk-in courier, then he leaves
    await gp.getByTestId('visitors-name').locator('input').fill('快递员小陈');
    await gp.getByTestId('visitors-purpose').locator('input').fill('送快递');
    await gp.getByTestId('visitors-register').click();
    const day = (await api(base, 'GET', `/visitors?project_id=${proj.id}`, admin)).json;
    const courier = day.items.find((v) => v.name === '快递员小陈');
    if (!courier || courier.source !== 'gate' || courier.state !== 'in') throw new Error('walk-in ' + JSON.stringify(courier));
    await gp.getByTestId(`visit-leave-${courier.id}`).click();
    await gp.getByTestId('visitors-summary').getByText('到访 2 人 · 在内 1 · 预约 50% · 门岗登记 50%').waitFor();
    await gp.screenshot({ path: join(OUT, 'guard-visitors.png') });

    // and the resident sees the guest arrived
    await rp.reload();
    await rp.getByText('已到访').first().waitFor();
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
    await rctx.close();
    await gctx.close();
  });
}
