// tests/e2e/console_quality.mjs: 品质 in the console (loaded by run.mjs). Through the
// API a fresh project, a quality officer of it and a cleaner. In the browser the
// quality officer filters 服务标准 to 保洁 and sees BJ-03 (电梯轿厢消毒), adds a
// standard in the dialog and sees it listed; on 整改 raises a rectification for the
// cleaner in the dialog. Through the API the cleaner submits it; after a reload the
// card is in 待复检, the officer re-checks it 不通过 with a new deadline and the card
// is back in 待整改 showing 第 2 轮.
import { join } from 'node:path';

export default function register(test, { api, OUT, ADMIN_PW }) {
  test('console: 服务标准 filter and dialog, 整改 board raises, moves on submit and back on a failed re-check', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const suffix = Date.now().toString(36).slice(-5).toUpperCase();
    const post = async (path, body, token = admin, want = 201) => {
      const r = await api(base, 'POST', path, token, body);
      if (r.status !== want) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    };
    const proj = await post('/projects', { code: 'QA' + suffix, name: '品质整改苑' + suffix, address: '南京市鼓楼区', service_level: 2 });
    const PW = 'e2e-Quality-2026!';
    const qa = await post('/staff', { username: `e2e_qa_${suffix.toLowerCase()}`, password: PW, name: '品质孙专员', role: 'quality', department: '品质部', project_ids: [proj.id] });
    const cleaner = await post('/staff', { username: `e2e_qc_${suffix.toLowerCase()}`, password: PW, name: '保洁周阿姨' + suffix, role: 'cleaner', department: '保洁部', project_ids: [proj.id] });

    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(base + '/login');
    await page.getByTestId('login-username').fill(qa.username);
    await page.getByTestId('login-password').fill(PW);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.getByTestId('shell-username').waitFor();

    // 服务标准: 保洁 shows BJ-03
    await page.getByTestId('menu-quality-standards').click();
    await page.getByTestId('std-dept-cleaning').click();
    await page.getByTestId('std-row-BJ-03').waitFor();
    const row = page.locator('.el-table__row', { has: page.getByTestId('std-row-BJ-03') });
    await row.getByText('电梯轿厢消毒').waitFor();
    if (await page.getByTestId('std-row-ZX-02').count()) throw new Error('the 保洁 filter still shows 秩序');

    // a new standard from the dialog (the department preset by the filter)
    const code = 'BJ-Q' + suffix.slice(-3);
    await page.getByTestId('std-add').click();
    await page.getByTestId('std-f-code').fill(code);
    await page.getByTestId('std-f-item').fill('垃圾桶外壁清洁' + suffix);
    await page.getByTestId('std-f-req').fill('每日擦洗一次，无污渍、无异味');
    await page.getByTestId('std-f-method').fill('现场查看');
    await page.getByTestId('std-save').click();
    await page.getByTestId('std-save').waitFor({ state: 'hidden' });
    await page.getByTestId(`std-row-${code}`).waitFor();
    const std = (await api(base, 'GET', `/standards?q=${code}`, admin)).json.items.find((s) => s.code === code);
    if (!std || std.department !== 'cleaning' || std.version !== 1) throw new Error('standard made as ' + JSON.stringify(std));
    // the code is taken now: the server's 409 under the code field
    await page.getByTestId('std-add').click();
    await page.getByTestId('std-f-code').fill(code);
    await page.getByTestId('std-f-item').fill('重复');
    await page.getByTestId('std-f-req').fill('重复');
    await page.getByTestId('std-save').click();
    const codeErr = page.getByTestId('std-dialog').locator('.el-form-item', { has: page.getByTestId('std-f-code') }).locator('.el-form-item__error');
    await codeErr.waitFor();
    if (await page.getByTestId('std-dialog').locator('.el-form-item__error').count() !== 1) throw new Error('more than the code field refused');
    await page.screenshot({ path: join(OUT, 'console-quality-standards.png') });
    await page.getByTestId('std-dialog').getByRole('button', { name: '取消' }).click();

    // 整改: the project is the officer's only one (picked in the header otherwise)
    await page.getByTestId('menu-quality-rectifications').click();
    if (await page.getByTestId('project-switcher').count()) {
      await page.getByTestId('project-switcher').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: proj.name }).click();
    }
    await page.getByTestId('rect-create').click();
    await page.getByTestId('rect-f-dept-cleaning').click();
    const problem = '电梯轿厢地面有污渍' + suffix;
    await page.getByTestId('rect-f-problem').fill(problem);
    await page.getByTestId('rect-f-location').fill('2栋1号电梯');
    await page.getByTestId('rect-f-assignee').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: cleaner.name }).click();
    await page.getByTestId('rect-save').click();
    await page.getByTestId('rect-save').waitFor({ state: 'hidden' });
    const rect = (await api(base, 'GET', `/rectifications?project_id=${proj.id}`, admin)).json.items.find((r) => r.problem === problem);
    if (!rect || rect.assignee_id !== cleaner.id || rect.department !== 'cleaning' || rect.state !== 'open') throw new Error('rectification made as ' + JSON.stringify(rect));
    const card = page.getByTestId(`rect-card-${rect.id}`);
    await page.getByTestId('rect-col-open').getByTestId(`rect-card-${rect.id}`).waitFor();
    await card.getByText('第 1 轮').waitFor();
    await card.getByText(cleaner.name).waitFor();

    // the cleaner submits it (their phone): 待复检 after a reload
    const ctok = (await api(base, 'POST', '/auth/login', null, { username: cleaner.username, password: PW })).json.token;
    await post(`/rectifications/${rect.id}/actions/submit`, { note: '已用消毒液擦洗干净' }, ctok, 200);
    await page.reload();
    await page.getByTestId('rect-col-submitted').getByTestId(`rect-card-${rect.id}`).waitFor();
    await card.getByText('已用消毒液擦洗干净').waitFor();

    // 复检 不通过 with the new deadline (two days on, preset): back in 待整改, 第 2 轮
    await page.getByTestId(`rect-recheck-${rect.id}`).click();
    await page.getByTestId('act-fail').click();
    await page.getByTestId('act-dialog').getByText('新期限').waitFor();
    await page.getByTestId('act-note').fill('角落仍有污渍');
    await page.getByTestId('act-ok').click();
    await page.getByTestId('act-ok').waitFor({ state: 'hidden' });
    await page.getByTestId('rect-col-open').getByTestId(`rect-card-${rect.id}`).waitFor();
    await page.getByTestId(`rect-round-${rect.id}`).getByText('第 2 轮').waitFor();
    const after = (await api(base, 'GET', `/rectifications?project_id=${proj.id}`, admin)).json.items.find((r) => r.id === rect.id);
    if (after.state !== 'open' || after.rounds !== 2 || Date.parse(after.due_at) <= Date.now() + 86400000) throw new Error('after the re-check ' + JSON.stringify(after));
    await page.screenshot({ path: join(OUT, 'console-quality-rectifications.png') });
    await ctx.close();
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  });
}
