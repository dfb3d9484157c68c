// tests/e2e/console_surveys.mjs: 满意度 in the console (loaded by run.mjs). On the fresh demo
// database (four quarterly surveys per project, the last open; in the second project a closed
// one has 绿化养护 under 85) the admin opens 满意度 and that closed survey: the dimension
// scores on the page equal GET /surveys/{id}/results rounded to one decimal, the one under 85
// is marked, the radar is a canvas with a size, the comments are listed. Then a new draft in
// the builder with one extra open question, published: through the API it is open, invited > 0.
import { join } from 'node:path';

export default function register(test, { api, OUT, ADMIN_PW }) {
  test('console_surveys: a closed survey\'s results, radar and comments; a new draft with an open question published', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const get = async (path) => {
      const r = await api(base, 'GET', path, admin);
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    };
    const me = await get('/me');
    const proj = me.projects[1];
    const closed = (await get(`/surveys?project_id=${proj.id}&state=closed`)).items;
    let target = null, results = null;
    for (const s of closed) {
      const r = await get(`/surveys/${s.id}/results`);
      if (r.dimensions.some((d) => d.key === 'greening' && d.score !== null && d.score < 85)) { target = s; results = r; break; }
    }
    if (!target) throw new Error('no closed survey of the second project has 绿化养护 under 85');

    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(base + '/login');
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(ADMIN_PW);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('shell-username').waitFor();

    await page.getByTestId('menu-voice-surveys').click();
    if (await page.getByTestId('project-switcher').count()) {
      await page.getByTestId('project-switcher').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: proj.name }).click();
    }
    await page.getByTestId(`survey-row-${target.id}`).click();
    await page.waitForURL(`**/voice/surveys/${target.id}`);
    await page.getByTestId('survey-scale').getByText('得分 = (平均分 − 1) × 25，1 分对应 0，5 分对应 100').waitFor();
    for (const d of results.dimensions) {
      const shown = (await page.getByTestId(`dim-score-${d.key}`).textContent()).trim();
      const want = d.score === null ? '—' : d.score.toFixed(1);
      if (shown !== want) throw new Error(`${d.label}: page ${shown}, API ${want}`);
      const marked = await page.getByTestId(`dim-low-${d.key}`).count();
      if ((d.score !== null && d.score < 85) !== (marked === 1)) throw new Error(`${d.label} (${want}) marked ${marked}`);
    }
    const lowText = await page.getByTestId('dim-low-greening').textContent();
    if (!lowText.includes('低于85分，需在15日内制定整改方案')) throw new Error('绿化养护 marked as ' + lowText);
    const canvas = page.getByTestId('survey-radar').locator('canvas').first();
    await canvas.waitFor();
    const box = await canvas.boundingBox();
    if (!box || box.width < 50 || box.height < 50) throw new Error('radar canvas ' + JSON.stringify(box));
    const comments = page.getByTestId('survey-comments').locator('li.comment');
    if (!results.comments.length) throw new Error('the API has no comments for the survey');
    if ((await comments.count()) !== results.comments.length) throw new Error(`comments: page ${await comments.count()}, API ${results.comments.length}`);
    await page.screenshot({ path: join(OUT, 'console-survey-results.png'), fullPage: true });
    // 导出 Excel: the file comes down under the server's name, as many answers as the results count
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('survey-export').click()]);
    if (!/^survey-\d{8}-\d{4}\.xlsx$/.test(dl.suggestedFilename())) throw new Error('export named ' + dl.suggestedFilename());
    await page.getByText(`已导出 ${results.responses} 份答卷`).waitFor();
    if (await page.getByTestId('survey-poster').count()) throw new Error('a closed survey offers its poster');

    // a new draft with one extra open question, published
    await page.getByTestId('menu-voice-surveys').click();
    await page.getByTestId('survey-create').click();
    const title = '专项满意度调查' + Date.now().toString(36).slice(-4);
    await page.getByTestId('sb-title').fill(title);
    await page.getByTestId('sb-period').fill('2026-X1');
    await page.getByTestId('sb-save').click();
    await page.getByTestId('sb-q-label-8').waitFor(); // the server's q1–q9, now in the editor
    const dims = await page.getByTestId('sb-dims').locator('[data-testid^="sb-dim-label-"]').count();
    if (dims !== 8) throw new Error('the editor shows ' + dims + ' dimensions, not the seeds\' 8');
    await page.getByTestId('sb-add-text').click();
    await page.getByTestId('sb-q-label-9').fill('您希望下季度重点改进哪方面？');
    await page.getByTestId('sb-save').click();
    await page.getByTestId('survey-builder').waitFor({ state: 'hidden' });
    const draft = (await get(`/surveys?project_id=${proj.id}&state=draft`)).items.find((s) => s.title === title);
    if (!draft) throw new Error('the draft is not listed by the API');
    const extra = draft.questions.find((q) => q.label === '您希望下季度重点改进哪方面？');
    if (!extra || extra.type !== 'text' || draft.questions.length !== 10) throw new Error('questions saved as ' + JSON.stringify(draft.questions));
    await page.getByTestId(`survey-open-${draft.id}`).click();
    await page.getByText('将邀请全部已入住房屋').waitFor();
    await page.locator('.el-message-box').getByRole('button', { name: '发布' }).click();
    await page.getByTestId(`survey-state-tag-${draft.id}`).getByText('进行中').waitFor();
    const after = await get(`/surveys/${draft.id}`);
    if (after.state !== 'open' || !(after.invited > 0)) throw new Error(`after 发布: ${after.state}, invited ${after.invited}`);
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
    await ctx.close();
  });
}
