// tests/e2e/console_equipment.mjs: 设备台账 in the browser (loaded by run.mjs).
// A manager adds a lift in the dialog (a duplicate code is refused under 编号),
// finds it by class, opens its drawer, records downtime (停机 in the list and
// the timeline), restores it; the intact card shows this month's figures; the
// labels button opens the PDF of the ticked piece.
import { join } from 'node:path';

export default function register(test, { api, OUT, ADMIN_PW }) {
  test('console: 设备台账 dialog, class filter, downtime and restore in the drawer, intact card, labels', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const proj = (await api(base, 'GET', '/projects?limit=50', admin)).json.items.find((p) => p.code === 'JXHT');
    const suffix = Date.now().toString(36).slice(-5);
    const PW = 'e2e-Manager-2026!';
    const m = await api(base, 'POST', '/staff', admin, {
      username: `e2e_eq_m_${suffix}`, password: PW, name: '设备孙经理', role: 'manager', department: '管理处', project_ids: [proj.id],
    });
    if (m.status !== 201) throw new Error('create manager: ' + JSON.stringify(m.json));
    const taken = (await api(base, 'GET', `/equipment?project_id=${proj.id}&limit=1`, admin)).json.items[0];

    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(base + '/login');
    await page.getByTestId('login-username').fill(m.json.username);
    await page.getByTestId('login-password').fill(PW);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    // the dashboard carries the equipment card for the manager's one project
    await page.getByTestId('intact-card').waitFor();
    await page.getByTestId('menu-assets-equipment').click();
    await page.getByTestId('intact-total').waitFor();

    // a code the project has already: under 编号
    const code = 'DT-E2E-' + suffix;
    await page.getByTestId('eq-create').click();
    await page.getByTestId('eq-code').fill(taken.code);
    await page.getByTestId('eq-name').fill('9栋1号客梯');
    await page.getByTestId('eq-location').fill('9栋大堂');
    await page.getByTestId('eq-save').click();
    const codeError = page.locator('.el-form-item', { has: page.getByTestId('eq-code') }).locator('.el-form-item__error');
    await codeError.waitFor();
    await page.getByTestId('eq-code').fill(code);
    await page.getByTestId('eq-save').click();
    await page.getByTestId('eq-save').waitFor({ state: 'hidden' });
    const made = (await api(base, 'GET', `/equipment?project_id=${proj.id}&q=${code}`, admin)).json.items[0];
    if (!made || made.class !== 'elevator' || made.location !== '9栋大堂') throw new Error('created as ' + JSON.stringify(made));

    // the class filter and the search find it
    await page.getByTestId('eq-class').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '电梯' }).click();
    await page.getByTestId('eq-search').fill(code);
    await page.getByTestId('eq-search').press('Enter');
    await page.getByTestId(`eq-row-${made.id}`).click();
    await page.getByTestId('eq-drawer').waitFor();

    // downtime: 停机 on the drawer, the list and the timeline; then back in service
    await page.getByTestId('eq-down').click();
    await page.getByTestId('eq-down-cause').fill('门机故障停梯');
    await page.getByTestId('eq-down-save').click();
    await page.getByTestId('eq-restore').waitFor();
    if ((await page.getByTestId('eq-drawer-status').textContent()).trim() !== '停机') throw new Error('drawer status not 停机');
    await page.getByTestId('eq-history').getByText('门机故障停梯').waitFor();
    await page.getByTestId(`eq-status-${made.id}`).getByText('停机').waitFor();
    await page.screenshot({ path: join(OUT, 'console-equipment-down.png') });
    await page.getByTestId('eq-restore').click();
    await page.getByTestId('eq-down').waitFor();
    const after = (await api(base, 'GET', `/equipment/${made.id}`, admin)).json;
    if (after.status !== 'in_service') throw new Error('after restore: ' + after.status);
    await page.keyboard.press('Escape');

    // the labels of the ticked piece: a PDF
    await page.locator('.eq-table .el-table__row', { has: page.getByTestId(`eq-row-${made.id}`) }).locator('.el-checkbox').click();
    const [popup] = await Promise.all([ctx.waitForEvent('page'), page.getByTestId('eq-labels').click()]);
    await popup.waitForURL((u) => u.pathname.endsWith('/equipment/labels.pdf'));
    const url = new URL(popup.url());
    if (url.searchParams.get('ids') !== String(made.id)) throw new Error('labels of ' + url.search);
    // the tab's own request, again with the tab's session: a PDF of one label
    const resp = await ctx.request.get(popup.url());
    const h = resp.headers();
    if (resp.status() !== 200 || !String(h['content-type']).startsWith('application/pdf') || h['x-label-count'] !== '1') {
      throw new Error(`labels: ${resp.status()} ${h['content-type']} ${h['x-label-count']}`);
    }
    await ctx.close();
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  });
}
