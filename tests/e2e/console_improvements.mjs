// tests/e2e/console_improvements.mjs: 改进计划 (PDCA) in the console (loaded by run.mjs). Through
// the API, on the demo's first project: a quality officer, a manager and a technician of it,
// and six 电梯 complaints this month (a proposed hot spot). In the browser the officer opens 改进计划, raises a plan
// in 新建计划 — a title over 100 bytes first, whose 422 shows under the title — and the plan
// page shows 草拟; 原因分析 with one measure for the technician → 已分析. The manager (not its
// author) approves it → 已批准. The officer records the measure done → 待复测, and 复测 with 92
// against a target of 90 → 有效, with the chart drawn; the board has the card under 有效. A
// second plan, brought to 待复测 through the API, is checked with 80 → 未达标 and links to its
// next cycle (a draft that links back). Last, 投诉热点 proposes 电梯 and 立项 raises its plan.
import { join } from 'node:path';

export default function register(test, { api, OUT, ADMIN_PW }) {
  test('console_improvements: a plan raised (422 under its field), analysed, approved by a manager, done, checked effective; not effective opens the next cycle; a hot spot raises a plan', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const call = async (method, path, body, token = admin, want = 200) => {
      const r = await api(base, method, path, token, body);
      if (r.status !== want) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    };
    const me = await call('GET', '/me');
    const proj = me.projects[0];
    const suffix = Date.now().toString(36).slice(-5);
    const PW = 'e2e-Improve-2026!';
    const staff = (role, name, department) => call('POST', '/staff', { username: `e2e_imp_${role}_${suffix}`, password: PW, name: name + suffix, role, department, project_ids: [proj.id] }, admin, 201);
    const qa = await staff('quality', '品质陈专员', '品质部');
    const mgr = await staff('manager', '项目刘经理', '管理处');
    const tech = await staff('technician', '维修赵师傅', '工程部');
    for (let i = 0; i < 6; i++) {
      await call('POST', '/tickets', { project_id: proj.id, kind: 'complaint', category: '电梯', title: '电梯异响投诉' + i, channel: 'phone' }, admin, 201);
    }
    const spot = (await call('GET', `/stats/complaint-hotspots?project_id=${proj.id}`)).categories.find((c) => c.category === '电梯');
    if (!spot || !spot.proposed) throw new Error('电梯 is not proposed: ' + JSON.stringify(spot));
    const token = async (u) => (await api(base, 'POST', '/auth/login', null, { username: u.username, password: PW })).json.token;
    const qaToken = await token(qa);
    const mgrToken = await token(mgr);

    const errors = [];
    const login = async (user) => {
      const ctx = await browser.newContext({ viewport: { width: 1500, height: 950 } });
      const page = await ctx.newPage();
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(base + '/login');
      await page.getByTestId('login-username').fill(user.username);
      await page.getByTestId('login-password').fill(PW);
      await page.getByTestId('login-submit').click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      await page.getByTestId('shell-username').waitFor();
      return { ctx, page };
    };
    const stateIs = async (page, text) => {
      await page.getByTestId('imp-state').getByText(text, { exact: true }).waitFor();
    };
    const pick = async (page, testid, text) => {
      await page.getByTestId(testid).click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
    };
    const number = async (page, testid, v) => {
      const input = page.getByTestId(testid).locator('input');
      await input.fill(String(v));
      await input.blur(); // commits the number (its change event)
    };

    // the officer raises a plan; a title over 100 bytes is the server's 422 under the title
    const q = await login(qa);
    let page = q.page;
    await page.getByTestId('menu-voice-improvements').click();
    if (await page.getByTestId('project-switcher').count()) {
      await page.getByTestId('project-switcher').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: proj.name }).click();
    }
    await page.getByTestId('imp-board').waitFor();
    await page.getByTestId('imp-create-btn').click();
    const dialog = page.getByTestId('imp-create');
    await page.getByTestId('ic-title').fill('电梯'.repeat(20) + '运行质量提升计划'); // 48 characters, 144 bytes
    await page.getByTestId('ic-problem').fill('电梯首次修复率偏低，同一故障多次报修');
    await page.getByTestId('ic-kind-kpi').click();
    await page.getByTestId('ic-key').fill('first_time_fix');
    await number(page, 'ic-baseline', 70);
    await number(page, 'ic-target', 90);
    await page.getByTestId('ic-public').click();
    await page.getByTestId('ic-save').click();
    const titleErr = dialog.locator('.el-form-item', { has: page.getByTestId('ic-title') }).locator('.el-form-item__error');
    await titleErr.waitFor();
    if (!(await titleErr.textContent()).includes('100 字节')) throw new Error('the title error says ' + (await titleErr.textContent()));
    if ((await dialog.locator('.el-form-item__error').count()) !== 1) throw new Error('more than the title refused');
    await page.screenshot({ path: join(OUT, 'console-improvement-422.png') });
    const title = '电梯首次修复率提升' + suffix;
    await page.getByTestId('ic-title').fill(title);
    await page.getByTestId('ic-save').click();
    await page.waitForURL(/\/voice\/improvements\/\d+$/);
    const planId = Number(page.url().split('/').pop());
    await stateIs(page, '草拟');
    await page.getByTestId('imp-public').waitFor();
    if ((await page.getByTestId('imp-baseline').textContent()).trim() !== '70') throw new Error('baseline shown as ' + (await page.getByTestId('imp-baseline').textContent()));
    if (await page.getByTestId('imp-act-approve').count()) throw new Error('the officer is offered 批准');

    // 原因分析 with one measure for the technician
    await page.getByTestId('imp-act-analyse').click();
    await page.getByTestId('ia-cause').fill('备件库存不足，维修人员未按标准排查');
    await page.getByTestId('ia-m-text-0').fill('建立常用备件库，每周盘点');
    await pick(page, 'ia-m-owner-0', tech.name);
    await page.getByTestId('ia-save').click();
    await stateIs(page, '已分析');
    await page.getByTestId('imp-m-text-1').getByText('建立常用备件库，每周盘点').waitFor();
    let plan = await call('GET', `/improvements/${planId}`, null, qaToken);
    if (plan.state !== 'analysed' || plan.measures[0].owner_id !== tech.id || plan.measures[0].department !== '工程部') throw new Error('analysed as ' + JSON.stringify(plan.measures));

    // the manager, not its author, approves it
    const m = await login(mgr);
    await m.page.goto(`${base}/voice/improvements/${planId}`);
    await stateIs(m.page, '已分析');
    await m.page.getByTestId('imp-act-approve').click();
    await m.page.locator('.el-message-box').getByRole('button', { name: '批准' }).click();
    await stateIs(m.page, '已批准');
    await m.ctx.close();

    // the officer records the measure done → 待复测, then 复测 92 against 90 → 有效
    await page.reload();
    await stateIs(page, '已批准');
    await page.getByTestId('imp-m-progress-1').click();
    await page.getByTestId('act-text').fill('备件库已建立，首批 40 种备件入库');
    await page.getByTestId('act-ok').click();
    await stateIs(page, '待复测');
    await page.getByTestId('imp-m-done-1').waitFor();
    await page.getByTestId('imp-notes').getByText('备件库已建立，首批 40 种备件入库').waitFor();
    await page.getByTestId('imp-act-check').click();
    await number(page, 'act-value', 92);
    await page.getByTestId('act-ok').click();
    await stateIs(page, '有效');
    if ((await page.getByTestId('imp-check-value').textContent()).trim() !== '92') throw new Error('check value shown as ' + (await page.getByTestId('imp-check-value').textContent()));
    const canvas = page.getByTestId('imp-chart').locator('canvas').first();
    await canvas.waitFor();
    const box = await canvas.boundingBox();
    if (!box || box.width < 50 || box.height < 50) throw new Error('chart canvas ' + JSON.stringify(box));
    await page.screenshot({ path: join(OUT, 'console-improvement-effective.png'), fullPage: true });
    // the act: an effective plan points at the standards catalogue
    await page.getByTestId('imp-standardise').getByRole('link').click();
    await page.waitForURL('**/quality/standards');
    await page.goBack();
    await stateIs(page, '有效');
    plan = await call('GET', `/improvements/${planId}`, null, qaToken);
    if (plan.state !== 'effective' || plan.check_value !== 92 || plan.approved_by !== mgr.id) throw new Error('after 复测: ' + JSON.stringify(plan));
    await page.getByTestId('menu-voice-improvements').click();
    await page.getByTestId('imp-col-effective').getByTestId(`imp-card-${planId}`).waitFor();

    // a second plan brought to 待复测 through the API; 复测 80 → 未达标 and the next cycle
    const due = new Date(Date.now() + 10 * 86400000).toISOString();
    let p2 = await call('POST', '/improvements', { project_id: proj.id, source: 'manual', title: '报修响应提速' + suffix, problem: '报修 15 分钟响应率偏低', metric: { kind: 'kpi', key: 'respond_15m', baseline: 70, target: 90 }, due_at: due }, qaToken, 201);
    await call('POST', `/improvements/${p2.id}/actions/analyse`, { cause: '夜间值班人手不足', measures: [{ text: '夜间增设一名值班', owner_id: tech.id, department: '工程部', due_at: due }] }, qaToken);
    await call('POST', `/improvements/${p2.id}/actions/approve`, {}, mgrToken);
    p2 = await call('POST', `/improvements/${p2.id}/actions/progress`, { measure: 1, note: '已排班', done: true }, qaToken);
    if (p2.state !== 'checking') throw new Error('the second plan is ' + p2.state);
    await page.reload();
    await page.getByTestId('imp-col-checking').getByTestId(`imp-card-${p2.id}`).click();
    await stateIs(page, '待复测');
    await page.getByTestId('imp-act-check').click();
    await number(page, 'act-value', 80);
    await page.getByTestId('act-ok').click();
    await stateIs(page, '未达标');
    await page.getByTestId('imp-next-cycle').click();
    await stateIs(page, '草拟');
    await page.getByTestId('imp-cycle-of').waitFor();
    if ((await page.getByTestId('imp-baseline').textContent()).trim() !== '80') throw new Error('the next cycle\'s baseline is ' + (await page.getByTestId('imp-baseline').textContent()));

    // 投诉热点: 电梯 is proposed; 立项 raises its plan, filled in
    await page.getByTestId('menu-voice-improvements').click();
    await page.getByTestId('imp-hot-toggle').click();
    await page.getByTestId('hot-raise-电梯').click();
    if ((await page.getByTestId('ic-title').inputValue()) !== '电梯类投诉治理') throw new Error('the proposal\'s title is ' + (await page.getByTestId('ic-title').inputValue()));
    await number(page, 'ic-target', 2);
    await page.getByTestId('ic-save').click();
    await page.waitForURL(/\/voice\/improvements\/\d+$/);
    await stateIs(page, '草拟');
    const hot = await call('GET', `/improvements/${Number(page.url().split('/').pop())}`, null, qaToken);
    if (hot.source !== 'complaints' || hot.metric.kind !== 'complaint_category' || hot.metric.key !== '电梯' || hot.metric.baseline !== spot.count) throw new Error('the hot spot raised ' + JSON.stringify(hot));
    await page.getByTestId('menu-voice-improvements').click();
    await page.getByTestId('imp-hot-toggle').click();
    await page.getByTestId('hot-plan-电梯').waitFor();
    await page.screenshot({ path: join(OUT, 'console-improvements-board.png'), fullPage: true });
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
    await q.ctx.close();
  });
}
