// tests/e2e/public_meeting_plans.mjs: a resident-meeting topic's plan on the public board
// (loaded by run.mjs). The demo's meetings raise public plans whose metric is the kpi
// resident_meeting_topic (target 1 = the topic resolved): the board /p/{code} reads them
// in words — 目标：议题落实, and once re-checked 复测：已落实 / 复测：未落实 — never as numbers
// ("整改前 0，目标 1"); the other plans keep their figures.
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

export default function register(test, { api, ADMIN_PW }) {
  test('public_meeting_plans: a resident-meeting topic\'s plan reads 目标：议题落实 on the board', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const projects = (await api(base, 'GET', '/projects?limit=50', admin)).json.items;
    const found = [];
    for (const p of projects) {
      const r = await api(base, 'GET', `/public/projects/${encodeURIComponent(p.code)}/improvements`, null);
      if (r.status !== 200) continue;
      const topics = r.json.improvements.filter((x) => x.metric && x.metric.kind === 'kpi' && x.metric.key === 'resident_meeting_topic');
      if (topics.length) found.push({ code: p.code, topics, others: r.json.improvements.filter((x) => !topics.includes(x)) });
    }
    if (!found.length) throw new Error('no public resident-meeting plan in the demo');

    const ctx = await browser.newContext(PHONE);
    const page = await ctx.newPage();
    let checked = 0;
    for (const { code, topics, others } of found.slice(0, 3)) {
      await page.goto(`${base}/p/${code}`);
      await page.getByTestId('disclosure-improvements').waitFor();
      for (const plan of topics) {
        const line = page.getByTestId(`improvement-${plan.id}`).getByTestId('improvement-metric');
        const text = (await line.textContent()).trim();
        let want = '目标：议题落实';
        if (typeof plan.check_value === 'number') {
          want += ` · ${plan.check_value >= plan.metric.target ? '复测：已落实' : '复测：未落实'}`;
          checked++;
        }
        if (text !== want) throw new Error(`${code} plan ${plan.id} reads "${text}", want "${want}"`);
      }
      // a plan of another metric keeps its figures
      const other = others.find((x) => x.metric && typeof x.metric.target === 'number');
      if (other) {
        const text = (await page.getByTestId(`improvement-${other.id}`).getByTestId('improvement-metric').textContent()).trim();
        if (!text.includes('目标') || text.includes('议题')) throw new Error(`${code} plan ${other.id} reads "${text}"`);
      }
    }
    if (!checked) console.log('     (no re-checked resident-meeting plan in the demo: the 复测 words not seen)');
    await ctx.close();
  });
}
