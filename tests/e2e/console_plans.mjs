// tests/e2e/console_plans.mjs: 维保计划's dialog in the browser (loaded by
// run.mjs). A quality officer's plan made from the presets: a bad custom RRULE,
// duplicate checklist keys and a window longer than the interval are refused
// by the server and shown under their own fields; 每周几 with 一、三、五 and an
// auto-keyed checklist saves as FREQ=WEEKLY;BYDAY=MO,WE,FR and lists as
// "每周一、三、五"; an edit sends only what changed (the version moves once);
// 按模板添加 makes the 15-day lift plan over the project's lifts.
import { join } from 'node:path';

export default function register(test, { api, OUT, ADMIN_PW }) {
  test('console: 维保计划 dialog writes the RRULE from presets, server refusals under their fields, list in words', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const proj = (await api(base, 'GET', '/projects?limit=50', admin)).json.items.find((p) => p.code === 'JXHT');
    const suffix = Date.now().toString(36).slice(-5);
    const PW = 'e2e-Quality-2026!';
    const q = await api(base, 'POST', '/staff', admin, {
      username: `e2e_plans_q_${suffix}`, password: PW, name: '计划钱品质', role: 'quality', department: '品质', project_ids: [proj.id],
    });
    if (q.status !== 201) throw new Error('create quality officer: ' + JSON.stringify(q.json));

    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(base + '/login');
    await page.getByTestId('login-username').fill(q.json.username);
    await page.getByTestId('login-password').fill(PW);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.getByTestId('menu-work-plans').click();
    await page.getByTestId('plan-create').click();

    const title = '消防通道周检 ' + suffix;
    await page.getByTestId('plan-project').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: proj.name }).click();
    await page.getByTestId('plan-title').fill(title);
    await page.getByTestId('checklist-label-0').fill('消防通道畅通');
    await page.getByTestId('checklist-add').click();
    await page.getByTestId('checklist-label-1').fill('消火栓压力');
    await page.getByTestId('checklist-type-1').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '数值' }).click();
    await page.getByTestId('checklist-min-1').locator('input').fill('0.1');
    await page.getByTestId('checklist-max-1').locator('input').fill('0.6');
    const fieldError = (testid) => page.locator('.el-form-item', { has: page.getByTestId(testid) }).locator('.el-form-item__error');

    // a custom rule libical cannot read: under 重复
    await page.getByTestId('plan-preset-custom').click();
    await page.getByTestId('plan-rrule').fill('FREQ=SOMETIMES');
    await page.getByTestId('plan-save').click();
    await fieldError('plan-preset').getByText('重复规则无效').waitFor();

    // 每周几: 一 (the default), 三, 五
    await page.getByTestId('plan-preset-weekly').click();
    await page.getByTestId('plan-weekdays').getByText('三', { exact: true }).click();
    await page.getByTestId('plan-weekdays').getByText('五', { exact: true }).click();
    await page.locator('.plan-form').getByText('即：每周一、三、五').waitFor();

    // the same key twice: under 检查项
    await page.getByTestId('checklist-key-0').fill('k');
    await page.getByTestId('checklist-key-1').fill('k');
    await page.getByTestId('plan-save').click();
    await fieldError('checklist').getByText('key 重复').waitFor();
    await page.getByTestId('checklist-key-0').fill('');
    await page.getByTestId('checklist-key-1').fill('');

    // a window longer than the two days between Monday and Wednesday: under 时间窗
    await page.getByTestId('plan-window').locator('input').fill('3');
    await page.getByTestId('plan-window-unit').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '天' }).click();
    await page.getByTestId('plan-save').click();
    await fieldError('plan-window').getByText('长于两次之间的间隔').waitFor();
    await page.screenshot({ path: join(OUT, 'console-plan-dialog-errors.png') });
    await page.getByTestId('plan-window').locator('input').fill('1');
    await page.getByTestId('plan-save').click();
    await page.getByTestId('plan-save').waitFor({ state: 'hidden' });

    // through the API: the rule, the window and the auto keys
    const plans = (await api(base, 'GET', `/plans?project_id=${proj.id}&limit=200`, admin)).json.items;
    const plan = plans.find((p) => p.title === title);
    if (!plan) throw new Error('the plan was not created');
    const keys = plan.checklist.map((c) => c.key).join();
    if (plan.rrule !== 'FREQ=WEEKLY;BYDAY=MO,WE,FR' || plan.window_minutes !== 1440 || keys !== 'item1,item2') {
      throw new Error('saved as ' + JSON.stringify({ rrule: plan.rrule, window: plan.window_minutes, keys }));
    }
    if (plan.checklist[1].min !== 0.1 || plan.checklist[1].max !== 0.6 || plan.checklist[1].type !== 'number') {
      throw new Error('number item saved as ' + JSON.stringify(plan.checklist[1]));
    }
    // quality sees every project: look at this one (its plans fit on the first page)
    await page.getByTestId('project-switcher').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: proj.name }).click();
    const rule = page.getByTestId(`plan-rule-${plan.id}`);
    await rule.waitFor();
    if ((await rule.textContent()).trim() !== '每周一、三、五') throw new Error('listed as ' + (await rule.textContent()));
    await page.screenshot({ path: join(OUT, 'console-plans-weekly.png') });

    // an edit sends only what changed: a new area alone leaves the rule, the
    // checklist and so the future tasks (the version) as they were
    const before = (await api(base, 'GET', `/tasks?plan_id=${plan.id}&limit=200`, admin)).json.items.map((x) => x.id).join();
    await page.getByTestId(`plan-edit-${plan.id}`).click();
    await page.getByTestId('plan-area').fill('地下车库');
    await page.getByTestId('plan-save').click();
    await page.getByTestId('plan-save').waitFor({ state: 'hidden' });
    const after = (await api(base, 'GET', `/plans/${plan.id}`, admin)).json;
    const tasksAfter = (await api(base, 'GET', `/tasks?plan_id=${plan.id}&limit=200`, admin)).json.items.map((x) => x.id).join();
    if (after.version !== plan.version || after.area !== '地下车库' || after.rrule !== plan.rrule || tasksAfter !== before) {
      throw new Error('after the edit: ' + JSON.stringify({ version: after.version, area: after.area, rrule: after.rrule, same: tasksAfter === before }));
    }

    // 按模板添加: the 15-day lift maintenance over the project's lifts, named by the user
    const lifts = (await api(base, 'GET', `/equipment?project_id=${proj.id}&class=elevator&status=in_service&limit=200`, admin)).json.items;
    await page.getByTestId('plan-from-template').click();
    const row = page.getByTestId('template-table').locator('.el-table__row', { hasText: '电梯半月维保' });
    await row.waitFor();
    if ((await row.locator('td').last().textContent()).trim() !== String(lifts.length)) {
      throw new Error(`the template covers ${await row.locator('td').last().textContent()} units, the project has ${lifts.length} lifts in service`);
    }
    await row.click();
    const tplTitle = '电梯半月保 ' + suffix;
    await page.locator('.tpl-form input').fill(tplTitle);
    await page.getByTestId('template-apply').click();
    await page.getByTestId('template-apply').waitFor({ state: 'hidden' });
    const made = (await api(base, 'GET', `/plans?project_id=${proj.id}&kind=pm&limit=200`, admin)).json.items.find((p) => p.title === tplTitle);
    if (!made || made.rrule !== 'FREQ=MONTHLY;BYMONTHDAY=1,16;BYHOUR=9;BYMINUTE=0' || made.equipment_ids.length !== lifts.length) {
      throw new Error('the template made ' + JSON.stringify(made && { rrule: made.rrule, n: made.equipment_ids.length }));
    }
    await page.getByTestId(`plan-rule-${made.id}`).waitFor();
    await ctx.close();
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  });
}
