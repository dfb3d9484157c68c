// tests/e2e/console_cleaning.mjs: 保洁 in the browser (loaded by run.mjs;
// `node tests/e2e/run.mjs console_cleaning`). On the demo's year of cleaning
// rounds, the admin opens 保洁 and steps back a week: 电梯轿厢及单元大堂消毒
// (Mon/Wed/Fri) shows 3 planned and 垃圾收集点日产日清 7, each row's counts add
// up and match GET /stats/tasks, the totals row is the sum; the records list
// holds the week's rounds with a site photo that loads; a plan row narrows the
// records to its 3 rounds, and a record opens the task drawer with that photo.
import { join } from 'node:path';

export default function register(test, { api, OUT, ADMIN_PW }) {
  test('console_cleaning: 保洁 week counts the disinfection rounds (3 planned), records show their photos', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(base + '/login');
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(ADMIN_PW);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.getByTestId('menu-work-cleaning').click();
    await page.waitForURL('**/cleaning');
    await page.getByText('成为可核对的事实').waitFor(); // the caption

    // this week, then the previous (full, past) one
    const range = page.getByTestId('cleaning-range');
    await range.getByText(' 至 ').waitFor();
    const thisFrom = (await range.textContent()).slice(0, 10);
    await page.getByTestId('cleaning-prev').click();
    const addDays = (d, n) => new Date(Date.parse(d + 'T00:00:00Z') + n * 86400000).toISOString().slice(0, 10);
    const from = addDays(thisFrom, -7);
    await range.getByText(`${from} 至 ${addDays(from, 6)}`).waitFor();
    if ((await range.textContent()).includes('本周进行中')) throw new Error('the previous week reads as current: ' + (await range.textContent()));
    if (new Date(Date.parse(from + 'T00:00:00Z')).getUTCDay() !== 1) throw new Error('week starts on ' + from);

    const week = page.getByTestId('cleaning-week');
    const planRow = (title) => week.locator('.el-table__row', { hasText: title });
    const cell = async (row, what) => Number(await row.getByTestId(new RegExp(`^cleaning-${what}-\\d+$`)).textContent());
    const disinfect = planRow('电梯轿厢及单元大堂消毒');
    await disinfect.getByTestId(/^cleaning-planned-\d+$/).getByText('3', { exact: true }).waitFor();
    const planId = Number((await disinfect.getByTestId(/^cleaning-planned-\d+$/).getAttribute('data-testid')).split('-').pop());
    const garbage = planRow('垃圾收集点日产日清');
    if ((await cell(garbage, 'planned')) !== 7) throw new Error('垃圾日产日清 planned ' + (await cell(garbage, 'planned')) + ' in a week');

    // the same week through the API: every plan's counts and the totals as shown
    const plan = (await api(base, 'GET', `/plans/${planId}`, admin)).json;
    if (plan.kind !== 'cleaning' || plan.title !== '电梯轿厢及单元大堂消毒') throw new Error('row is plan ' + JSON.stringify(plan).slice(0, 200));
    const stats = (await api(base, 'GET', `/stats/tasks?project_id=${plan.project_id}&kind=cleaning&week_of=${from}`, admin)).json;
    if (stats.from !== from) throw new Error(`API week ${stats.from}, page ${from}`);
    const titles = stats.plans.map((p) => p.title);
    for (const t of ['公共区域日常清扫', '垃圾收集点日产日清', '电梯轿厢及单元大堂消毒', '绿化养护巡查']) {
      if (!titles.includes(t)) throw new Error(`API week lacks ${t}: ${titles}`);
    }
    const COUNTS = ['planned', 'done', 'late', 'missed', 'open', 'skipped'];
    for (const p of stats.plans) {
      for (const c of COUNTS) {
        const shown = Number(await week.getByTestId(`cleaning-${c}-${p.plan_id}`).textContent());
        if (shown !== p[c]) throw new Error(`${p.title} ${c}: page ${shown}, API ${p[c]}`);
      }
      if (p.done + p.late + p.missed + p.open + p.skipped !== p.planned) throw new Error(`${p.title} counts do not add up: ${JSON.stringify(p)}`);
      const pct = await week.getByTestId(`cleaning-completion-${p.plan_id}`).textContent();
      const want = p.completion === null ? '—' : `${Math.floor(p.completion * 1000) / 10}%`;
      if (pct !== want) throw new Error(`${p.title} completion ${pct}, API ${p.completion}`);
      const red = await week.getByTestId(`cleaning-completion-${p.plan_id}`).evaluate((el) => el.classList.contains('bad'));
      if (red !== (p.completion !== null && p.completion < 1)) throw new Error(`${p.title} completion ${pct} red=${red}`);
    }
    const sum = stats.plans.reduce((n, p) => n + p.planned, 0);
    if (stats.totals.planned !== sum || Number(await week.getByTestId('cleaning-planned-total').textContent()) !== sum) {
      throw new Error(`totals planned ${await week.getByTestId('cleaning-planned-total').textContent()}, sum ${sum}`);
    }
    const disStats = stats.plans.find((p) => p.plan_id === planId);
    if (disStats.planned !== 3) throw new Error('API disinfection planned ' + disStats.planned);

    // the records of that week: the rounds listed, a finished one's photo loads
    const records = page.getByTestId('cleaning-records');
    await records.locator('.el-table__row').first().waitFor();
    const nRows = await records.locator('.el-table__row').count();
    if (nRows !== stats.totals.planned) throw new Error(`records list ${nRows} rounds, the week planned ${stats.totals.planned}`);
    const thumb = records.locator('[data-testid^="cleaning-photo-"] img').first();
    await thumb.waitFor();
    await page.waitForFunction(
      () => {
        const img = document.querySelector('[data-testid="cleaning-records"] [data-testid^="cleaning-photo-"] img');
        return img && img.complete && img.naturalWidth > 0;
      },
      null,
      { timeout: 10000 },
    );
    const src = await thumb.getAttribute('src');
    if (!/\/api\/v1\/files\/\d+$/.test(src)) throw new Error('thumbnail src ' + src);

    // a plan row narrows the records to its 3 rounds of the week, Mon/Wed/Fri
    await disinfect.click();
    await page.getByTestId('cleaning-plan-filter').getByText('电梯轿厢及单元大堂消毒').waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="cleaning-records"] .el-table__row').length === 3,
      null,
      { timeout: 10000 },
    );
    const rowTexts = await records.locator('.el-table__row').allTextContents();
    if (!rowTexts.every((s) => s.includes('电梯轿厢及单元大堂消毒'))) throw new Error('narrowed records: ' + rowTexts.join(' | '));
    // (a day either side, kept by the due date in the project's own offset)
    const tasks = (await api(base, 'GET', `/tasks?project_id=${plan.project_id}&plan_id=${planId}&due_from=${addDays(from, -1)}T00:00:00Z&due_to=${addDays(from, 8)}T00:00:00Z`, admin))
      .json.items.filter((x) => x.due_at.slice(0, 10) >= from && x.due_at.slice(0, 10) < addDays(from, 7));
    const weekdays = tasks.map((x) => new Date(Date.parse(x.due_at.slice(0, 10) + 'T00:00:00Z')).getUTCDay()).join(',');
    if (tasks.length !== 3 || weekdays !== '1,3,5') throw new Error('API disinfection rounds on weekdays ' + weekdays);

    await page.screenshot({ path: join(OUT, 'console-cleaning-week.png') });

    // a finished round with its photo opens in the drawer with the same photo
    const withPhoto = records.locator('.el-table__row', { has: page.locator('[data-testid^="cleaning-photo-"]') }).first();
    await withPhoto.waitFor();
    const fileId = (await withPhoto.locator('[data-testid^="cleaning-photo-"] img').getAttribute('src')).split('/').pop();
    await withPhoto.locator('td').first().click();
    await page.getByTestId('task-drawer').getByTestId(`task-photo-${fileId}`).waitFor();
    await page.screenshot({ path: join(OUT, 'console-cleaning-drawer.png') });
    await ctx.close();
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  });
}
