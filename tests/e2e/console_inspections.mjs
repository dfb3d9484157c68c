// tests/e2e/console_inspections.mjs: 品质检查 in the console (loaded by run.mjs). Through
// the API a fresh project with three buildings, a quality officer and a cleaner; a
// cross-check of 保洁部 by the officer (BJ-01 passed, BJ-03 failed: scored from the
// standards' weights, the failure a rectification), a self-check by the cleaner (one of
// two items failed: 50) and a spot check (the server draws the 3 buildings). In the
// browser the officer sees the plans by level, is refused a cross-check done by the
// inspected department itself (422 under 执行) and saves it by 品质部 with items from
// the standards; 检查记录 shows the scores coloured and the drawn buildings, the drawer
// links the rectification to 整改; 得分 shows 保洁's averages, the rectification counts
// and the 自查周报; the workbench's 品质 panel the month's averages; and the new
// rectification dialog's standard picker fills BJ-03 with its requirement.
import { join } from 'node:path';

export default function register(test, { api, OUT, ADMIN_PW }) {
  test('console inspections: 品质检查 plans by level, records with scores, 得分 and 自查周报, the 品质 panel, the rectification standard picker', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const suffix = Date.now().toString(36).slice(-5).toUpperCase();
    const call = async (method, path, body, token = admin, want = 200) => {
      const r = await api(base, method, path, token, body);
      if (r.status !== want) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    };
    const post = (path, body, token = admin, want = 201) => call('POST', path, body, token, want);
    const proj = await post('/projects', { code: 'IN' + suffix, name: '品质检查苑' + suffix, address: '苏州市工业园区', service_level: 2 });
    const blds = [];
    for (const name of ['1栋', '2栋', '3栋']) blds.push(await post(`/projects/${proj.id}/buildings`, { name, floors: 18 }));
    const PW = 'e2e-Inspect-2026!';
    const qa = await post('/staff', { username: `e2e_iq_${suffix.toLowerCase()}`, password: PW, name: '品质吴专员' + suffix, role: 'quality', department: '品质部', project_ids: [proj.id] });
    const cleaner = await post('/staff', { username: `e2e_ic_${suffix.toLowerCase()}`, password: PW, name: '保洁郑阿姨' + suffix, role: 'cleaner', department: '保洁部', project_ids: [proj.id] });
    const login = async (u) => (await api(base, 'POST', '/auth/login', null, { username: u, password: PW })).json.token;
    const qtok = await login(qa.username);
    const ctok = await login(cleaner.username);
    const deps = (await call('GET', '/departments?limit=50')).items;
    const cleaning = deps.find((d) => d.function === 'cleaning');
    const stds = Object.fromEntries((await call('GET', '/standards?department=cleaning')).items.map((s) => [s.code, s]));
    const b1 = stds['BJ-01'], b3 = stds['BJ-03'];
    if (!b1 || !b3) throw new Error('the shipped catalogue lacks BJ-01/BJ-03');

    // the plans start 50 minutes ago with an hour's window: their first task is open now
    // and due today (检查记录 shows this month up to today)
    const dtstart = new Date(Date.now() - 3000e3).toISOString();
    const plan = (body) => post('/plans', { project_id: proj.id, kind: 'inspection', rrule: 'FREQ=DAILY', dtstart, window_minutes: 60, ...body });
    const cross = await plan({
      title: '保洁交叉检查' + suffix, level: 'cross', inspected_department: '保洁部', assign: { staff_id: qa.id },
      checklist: [{ key: 'sweep', label: '公共区域清扫', type: 'check', standard_id: b1.id },
        { key: 'lift', label: '电梯轿厢消毒', type: 'check', standard_id: b3.id }],
    });
    const self = await plan({
      title: '保洁日常自查' + suffix, level: 'self', inspected_department: '保洁部', assign: { staff_id: cleaner.id },
      checklist: [{ key: 'floor', label: '大堂地面', type: 'check' }, { key: 'bins', label: '垃圾桶', type: 'check' }],
    });
    const spot = await plan({ title: '经理巡检' + suffix, level: 'spot', assign: { staff_id: qa.id }, checklist: [{ key: 'lobby', label: '大堂整洁', type: 'check' }] });
    const firstTask = async (p) => {
      const t = (await call('GET', `/tasks?plan_id=${p.id}&state=scheduled&limit=1`)).items[0];
      if (!t) throw new Error('no open task of plan ' + p.title);
      return t;
    };
    const ct = await firstTask(cross);
    await call('PUT', `/tasks/${ct.id}/results/sweep`, { ok: true }, qtok);
    await call('PUT', `/tasks/${ct.id}/results/lift`, { ok: false, note: '本周仅消毒 1 次', measure: '已通知保洁主管' }, qtok);
    const crossDone = await call('POST', `/tasks/${ct.id}/actions/finish`, {}, qtok);
    const want = Math.round((100 * b1.weight) / (b1.weight + b3.weight));
    if (crossDone.score !== want) throw new Error(`cross-check scored ${crossDone.score}, want ${want}`);
    const rectId = crossDone.items.find((i) => i.key === 'lift').result.rectification_id;
    if (!rectId) throw new Error('the failed item raised no rectification');
    const st = await firstTask(self);
    await call('PUT', `/tasks/${st.id}/results/floor`, { ok: true }, ctok);
    await call('PUT', `/tasks/${st.id}/results/bins`, { ok: false, note: '3号桶满溢', measure: '已清运' }, ctok);
    if ((await call('POST', `/tasks/${st.id}/actions/finish`, {}, ctok)).score !== 50) throw new Error('the self-check is not 50');
    const sp = await call('GET', `/tasks/${(await firstTask(spot)).id}`);
    if (sp.buildings?.length !== 3) throw new Error('spot check drew ' + JSON.stringify(sp.buildings));

    const until = async (ok, what) => {
      for (let i = 0; i < 50; i++) {
        if (await ok()) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('never: ' + what);
    };
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // render errors Vue catches are console errors (a refused request's own line is not)
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text().split('\n')[0]));
    await page.goto(base + '/login');
    await page.getByTestId('login-username').fill(qa.username);
    await page.getByTestId('login-password').fill(PW);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.getByTestId('shell-username').waitFor();
    try {
      // a quality officer sees every project: this one picked in the header
      if (await page.getByTestId('project-switcher').count()) {
        await page.getByTestId('project-switcher').click();
        await page.locator('.el-select-dropdown__item:visible', { hasText: proj.name }).click();
      }

      // the workbench's 品质 panel: this month's averages per level, 2 rectifications open
      const card = page.getByTestId('quality-card');
      await card.getByTestId('quality-avg-cross').getByText(String(want), { exact: true }).waitFor();
      await card.getByTestId('quality-avg-self').getByText('50', { exact: true }).waitFor();
      if ((await card.getByTestId('quality-avg-self').locator('.v.bad').count()) !== 1) throw new Error('a score of 50 is not red on the panel');
      await card.getByTestId('quality-avg-spot').getByText('—').waitFor();
      await card.getByTestId('quality-open').getByText('2', { exact: true }).waitFor();
      await card.getByTestId('quality-overdue').getByText('0', { exact: true }).waitFor();
      await card.screenshot({ path: join(OUT, 'console-inspections-workbench.png') });

      // 计划: by level
      await page.getByTestId('menu-quality-inspections').click();
      const plans = page.getByTestId('insp-plans');
      for (const p of [cross, self, spot]) await plans.getByTestId(`insp-plan-${p.id}`).waitFor();
      const crossRow = plans.locator('.el-table__row', { has: page.getByTestId(`insp-plan-${cross.id}`) });
      await crossRow.getByText('交叉互检').waitFor();
      await crossRow.getByText('保洁部').waitFor();
      await crossRow.getByText(qa.name).waitFor();
      await plans.locator('.el-table__row', { has: page.getByTestId(`insp-plan-${spot.id}`) }).getByText('随机抽取 3 栋').waitFor();
      await page.getByTestId('insp-plan-level-self').click();
      await plans.getByTestId(`insp-plan-${self.id}`).waitFor();
      if (await plans.getByTestId(`insp-plan-${cross.id}`).count()) throw new Error('the 部门自查 filter still shows the cross-check');
      await page.getByTestId('insp-plan-level').getByText('全部').click();

      // 新建: a cross-check of 保洁部 done by 保洁部 is refused under 执行; by 品质部 it saves
      await page.getByTestId('insp-plan-create').click();
      const dlg = page.getByTestId('insp-plan-dialog');
      await page.getByTestId('ipd-level-cross').click();
      await page.getByTestId('ipd-dept').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '保洁部' }).click();
      const title = '月度交叉互检' + suffix;
      await page.getByTestId('ipd-title').fill(title);
      await page.getByTestId('ipd-from-std').click();
      await until(async () => (await page.getByTestId('checklist-label-0').inputValue()) === b1.item, 'the first item from the standards');
      await page.getByTestId('ipd-assign-dept').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '保洁部' }).click();
      await page.getByTestId('ipd-save').click();
      const assignErr = page.getByTestId('ipd-assign-item').locator('.el-form-item__error');
      await assignErr.getByText('被检查部门以外').waitFor();
      if ((await dlg.locator('.el-form-item__error').count()) !== 1) throw new Error('more than the assign field refused');
      await page.screenshot({ path: join(OUT, 'console-inspections-plan-422.png') });
      await page.getByTestId('ipd-assign-dept').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '品质部' }).click();
      await page.getByTestId('ipd-save').click();
      await page.getByTestId('ipd-save').waitFor({ state: 'hidden' });
      const made = (await call('GET', `/plans?project_id=${proj.id}&kind=inspection&limit=50`)).items.find((p) => p.title === title);
      if (!made || made.level !== 'cross' || made.inspected_department_id !== cleaning.id || made.assign.department !== '品质部' ||
          !made.checklist.length || made.checklist[0].standard_id !== b1.id) throw new Error('plan made as ' + JSON.stringify(made));
      await plans.getByTestId(`insp-plan-${made.id}`).waitFor();
      await page.screenshot({ path: join(OUT, 'console-inspections-plans.png') });

      // 检查记录: the scores coloured, the spot check's buildings, the drawer's rectification
      await page.getByRole('tab', { name: '检查记录' }).click();
      const recs = page.getByTestId('insp-records');
      const score = recs.getByTestId(`insp-score-${ct.id}`);
      await score.getByText(String(want), { exact: true }).waitFor();
      const tone = want < 60 ? 'bad' : want < 85 ? 'warn' : 'good';
      if (!(await score.getAttribute('class')).includes(tone)) throw new Error(`score ${want} is not ${tone}`);
      if (!(await recs.getByTestId(`insp-score-${st.id}`).getAttribute('class')).includes('bad')) throw new Error('a score of 50 is not red');
      const crossTask = recs.locator('.el-table__row', { has: page.getByTestId(`insp-task-${ct.id}`) });
      await crossTask.getByText('交叉互检').waitFor();
      await crossTask.getByText('保洁部').waitFor();
      await crossTask.getByText(qa.name).waitFor();
      const drawn = await recs.getByTestId(`insp-bld-${sp.id}`).textContent();
      for (const b of blds) if (!drawn.includes(b.name)) throw new Error('drawn buildings show ' + drawn);
      await page.screenshot({ path: join(OUT, 'console-inspections-records.png') });
      await page.getByTestId(`insp-task-${ct.id}`).click();
      const drawer = page.getByTestId('task-drawer');
      await drawer.getByTestId('task-item-lift').getByText('本周仅消毒 1 次').waitFor();
      const link = drawer.getByTestId('task-rect-lift');
      await link.getByText(`整改单 #${rectId}`).waitFor();
      await page.screenshot({ path: join(OUT, 'console-inspections-drawer.png') });
      await link.click();
      await page.waitForURL((u) => u.pathname === '/quality/rectifications' && u.searchParams.get('id') === String(rectId));
      await page.locator(`[data-testid="rect-card-${rectId}"].focus`).getByText('电梯轿厢消毒：本周仅消毒 1 次').waitFor();

      // 得分: 保洁's averages per level, the counts, the 自查周报
      await page.goto(base + '/quality/inspections?tab=scores');
      const table = page.getByTestId('insp-score-table');
      await table.getByTestId('insp-avg-cleaning-cross').getByText(String(want), { exact: true }).waitFor();
      await table.getByTestId('insp-avg-cleaning-self').getByText('50', { exact: true }).waitFor();
      const rowText = await table.locator('.el-table__row', { has: page.getByTestId('insp-dept-cleaning') }).textContent();
      if (!rowText.includes('保洁') || !rowText.includes('1 次')) throw new Error('保洁 row reads ' + rowText);
      await page.getByTestId('insp-rc-raised').getByText('2', { exact: true }).waitFor();
      await page.getByTestId('insp-rc-open').getByText('2', { exact: true }).waitFor();
      // the week's self-checks: the plan's tasks of the rest of the week are planned and open
      const rep = (await call('GET', `/reports/self-check?project_id=${proj.id}`)).departments.find((d) => d.department === 'cleaning');
      if (!rep || rep.done !== 1 || rep.findings !== 1 || rep.average_score !== 50) throw new Error('self-check report ' + JSON.stringify(rep));
      const weekly = page.getByTestId('insp-weekly').locator('.el-table__row', { hasText: '保洁' });
      await weekly.waitFor();
      // planned, done, late, missed, open, completion, average, findings
      const cells = (await weekly.locator('td').allTextContents()).map((s) => s.trim());
      const wantCells = [rep.planned, 1, 0, rep.missed, rep.open, '100%', 50, 1].join('|');
      if (cells.slice(1).join('|') !== wantCells) throw new Error(`自查周报 保洁 reads ${cells.join('|')}, want ${wantCells}`);
      const weekText = await page.getByTestId('insp-week').locator('input').inputValue();
      if (!/^\d{4} 第 \d{1,2} 周$/.test(weekText)) throw new Error('the week picker reads ' + weekText);
      await page.locator('canvas').first().waitFor(); // the six months' trend
      await page.screenshot({ path: join(OUT, 'console-inspections-scores.png'), fullPage: true });

      // 整改: the standard picker fills standard_id, the requirement shown
      await page.getByTestId('menu-quality-rectifications').click();
      await page.getByTestId('rect-create').click();
      await page.getByTestId('rect-f-dept-cleaning').click();
      await page.getByTestId('rect-f-standard').click();
      await page.getByTestId('rect-f-standard').locator('input').fill('轿厢');
      await until(async () => (await page.locator('.el-select-dropdown__item:visible', { hasText: 'BJ-01' }).count()) === 0, 'the search leaves BJ-01 out');
      await page.locator('.el-select-dropdown__item:visible', { hasText: 'BJ-03' }).click();
      await page.getByTestId('rect-f-standard-req').getByText(b3.requirement).waitFor();
      const problem = '电梯轿厢未见消毒记录' + suffix;
      await page.getByTestId('rect-f-problem').fill(problem);
      await page.screenshot({ path: join(OUT, 'console-inspections-standard-picker.png') });
      await page.getByTestId('rect-save').click();
      await page.getByTestId('rect-save').waitFor({ state: 'hidden' });
      const rect = (await call('GET', `/rectifications?project_id=${proj.id}`)).items.find((r) => r.problem === problem);
      if (!rect || rect.standard_id !== b3.id || rect.standard_version !== b3.version || rect.department !== 'cleaning') throw new Error('rectification made as ' + JSON.stringify(rect));
    } catch (e) {
      await page.screenshot({ path: join(OUT, 'console-inspections-failed.png') });
      throw e;
    }
    await ctx.close();
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  });
}
