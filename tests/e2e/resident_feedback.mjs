// tests/e2e/resident_feedback.mjs: 我的反馈 on the phone and 整改公示 / 满意度 on the public
// board (loaded by run.mjs). Through the real API: a quality officer of 锦绣华庭 (JXHT) drafts
// a survey, opens it, two invitation links answer 5 everywhere but 绿化养护 (3 and 2: 37.5
// points), and closes it: the server raises a public plan for 绿化养护. The officer analyses
// it with two measures, a manager approves, the first measure is done. A resident of the
// project opens 我的反馈 from home: the survey's response rate and scores (37.5 marked under
// 85, the 1→0 / 5→100 note), the plan under 来自业主意见的整改 with 已批准·整改中, both measures
// and the first ticked, 整改前 37.5 分，目标 85 分. The board /p/JXHT shows the same plan and
// scores and nobody's name; on /p/HRESSC the demo's checked plan reads before → after.
import { join } from 'node:path';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const RESIDENT_PW = 'Resident-feedback-2026';
const STAFF_PW = 'e2e-Feedback-2026!';
const CODE = 'JXHT';

function rfc(ms) {
  // the project's zone (+08:00), as the server writes times
  const d = new Date(ms + 8 * 3600 * 1000);
  return d.toISOString().slice(0, 19) + '+08:00';
}

const round1 = (v) => Math.round(v * 10) / 10;

function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) errors.push(msg.text());
  });
  return () => {
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  };
}

export default function register(test, { api, OUT, ADMIN_PW }) {
  const state = {};

  async function call(base, method, path, token, body, want = 200) {
    const r = await api(base, method, path, token, body);
    if (r.status !== want) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  }

  // Once: the survey answered and closed, its plan analysed, approved and half done.
  async function setup(base) {
    if (state.plan) return state;
    const admin = (await call(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).token;
    const proj = (await call(base, 'GET', '/projects?limit=50', admin)).items.find((p) => p.code === CODE);
    if (!proj) throw new Error('demo project ' + CODE + ' missing');
    const suffix = Date.now().toString(36).slice(-5);
    const staff = {};
    for (const [role, name] of [['quality', '反馈品质钱主管'], ['manager', '反馈物业周经理']]) {
      const s = await call(base, 'POST', '/staff', admin, {
        username: `e2e_fb_${role}_${suffix}`, password: STAFF_PW, name, role, department: '品质部', project_ids: [proj.id],
      }, 201);
      staff[role] = { ...s, token: (await call(base, 'POST', '/auth/login', null, { username: s.username, password: STAFF_PW })).token };
    }
    const q = staff.quality.token;

    // the survey: the seeds' eight dimensions; 绿化养护 answered 3 and 2, the rest 5
    const title = `E2E 反馈满意度调查 ${suffix}`;
    const survey = await call(base, 'POST', '/surveys', q, { project_id: proj.id, title, period: `E2E-${suffix}` }, 201);
    await call(base, 'POST', `/surveys/${survey.id}/actions/open`, q, {});
    const green = survey.questions.find((x) => x.type === 'scale' && x.dimension === 'greening');
    if (!green) throw new Error('the seeded survey has no 绿化养护 question');
    const links = (await call(base, 'GET', `/surveys/${survey.id}/links`, q)).items;
    if (links.length < 2) throw new Error(`${links.length} invitation links`);
    for (const [link, g] of [[links[0], 3], [links[1], 2]]) {
      const answers = {};
      for (const x of survey.questions) if (x.type === 'scale') answers[x.key] = 5;
      answers[green.key] = g;
      await call(base, 'POST', `/public/surveys/${link.token}/responses`, null, { answers }, 201);
    }
    await call(base, 'POST', `/surveys/${survey.id}/actions/close`, q, {});

    // the plan the close raised, then analysed, approved, its first measure done
    const plans = (await call(base, 'GET', `/improvements?project_id=${proj.id}&source=survey&limit=100`, q)).items
      .filter((p) => p.source_ref.startsWith(`survey:${survey.id}:`));
    if (plans.length !== 1) throw new Error(`${plans.length} plans raised by the survey, want 1 (绿化养护)`);
    let plan = plans[0];
    if (plan.metric.key !== 'greening' || plan.metric.baseline !== 37.5 || !plan.public) throw new Error('raised ' + JSON.stringify(plan));
    const measures = [
      { text: `绿化外包单位每周两次巡查补植 ${suffix}`, department: '绿化组', due_at: rfc(Date.now() + 5 * 86400e3) },
      { text: `枯死苗木一个月内全部补种 ${suffix}`, department: '绿化组', due_at: rfc(Date.now() + 20 * 86400e3) },
    ];
    plan = await call(base, 'POST', `/improvements/${plan.id}/actions/analyse`, q, { cause: '养护频次不足，枯死苗木未及时补植', measures });
    plan = await call(base, 'POST', `/improvements/${plan.id}/actions/approve`, staff.manager.token, {});
    plan = await call(base, 'POST', `/improvements/${plan.id}/actions/progress`, q, { measure: 1, note: '巡查已排班', done: true });
    if (plan.state !== 'approved' || !plan.measures[0].done || plan.measures[1].done) throw new Error('plan ' + JSON.stringify(plan));
    const pub = await call(base, 'GET', `/public/projects/${CODE}/improvements`, null);
    if (!pub.survey || pub.survey.title !== title) throw new Error('public survey ' + JSON.stringify(pub.survey));

    // a resident of the project with one room
    const rs = (await call(base, 'GET', `/projects/${proj.id}/residents?limit=50&active=1`, admin)).items;
    const resident = rs.reverse().find((x) => x.room_ids.length === 1 && x.phone);
    await call(base, 'POST', `/residents/${resident.id}/password`, admin, { password: RESIDENT_PW }, 204);
    Object.assign(state, { admin, proj, staff, survey, title, plan, measures, pub, resident });
    return state;
  }

  // The survey block and the plan card as the API has them.
  async function checkBoard(scope, s, planWithin) {
    await scope.getByTestId('improvements-survey-title').getByText(s.title).waitFor();
    const rate = `${round1(s.pub.survey.response_rate * 100)}%`;
    await scope.getByTestId('improvements-response-rate').getByText(`回收 2/${s.pub.survey.invited} 份，回收率 ${rate}`).waitFor();
    const greening = scope.getByTestId('improvements-dim-greening');
    await greening.getByText('37.5 分').waitFor();
    await greening.getByText('低于 85 分').waitFor();
    if ((await greening.getAttribute('data-low')) !== 'true') throw new Error('绿化养护 at 37.5 is not marked');
    const attitude = scope.getByTestId('improvements-dim-attitude');
    await attitude.getByText('100 分').waitFor();
    if ((await attitude.getAttribute('data-low')) !== 'false') throw new Error('服务态度 at 100 is marked');
    await scope.getByTestId('improvements-score-note').getByText('1 星 = 0 分，5 星 = 100 分').waitFor();

    const card = planWithin.getByTestId(`improvement-${s.plan.id}`);
    await card.getByTestId('improvement-title').getByText(s.plan.title).waitFor();
    const st = (await card.getByTestId('improvement-state').textContent()).trim();
    if (st !== '已批准·整改中') throw new Error(`plan state reads "${st}"`);
    await card.getByTestId('improvement-source').getByText('满意度调查').waitFor();
    await card.getByTestId('improvement-problem').getByText('绿化养护').waitFor();
    await card.getByTestId('improvement-metric').getByText('整改前 37.5 分，目标 85 分').waitFor();
    const rows = card.getByTestId('improvement-measure');
    if ((await rows.count()) !== 2) throw new Error(`${await rows.count()} measures shown, want 2`);
    for (const [i, m] of s.measures.entries()) {
      await rows.nth(i).getByText(m.text).waitFor();
      await rows.nth(i).getByText('绿化组').waitFor();
      const done = await rows.nth(i).getAttribute('data-done');
      if (done !== (i === 0 ? 'true' : 'false')) throw new Error(`measure ${i + 1} done=${done}`);
    }
    await rows.nth(0).getByText(/完成$/).waitFor();
    return card;
  }

  // Nobody's name or phone: not the plan's staff, no staff, no resident of the project.
  async function assertNobody(base, s, text) {
    const raw = JSON.stringify(s.pub);
    const people = [s.staff.quality, s.staff.manager];
    for (const path of [`/projects/${s.proj.id}/residents`, '/staff']) {
      let cursor = null;
      do {
        const res = await call(base, 'GET', `${path}?limit=200${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`, s.admin);
        people.push(...res.items);
        cursor = res.next_cursor;
      } while (cursor);
    }
    for (const p of people) {
      for (const v of [p.phone, p.name, p.username]) {
        if (!v || v.length < 2) continue;
        if (text.includes(v) || raw.includes(v)) throw new Error(`the public plans show ${v}`);
      }
    }
  }

  test('resident_feedback: a resident opens 我的反馈 and sees the closed survey\'s scores and the plan with its state and measures', async ({ browser, server }) => {
    const base = server.base;
    const s = await setup(base);
    const ctx = await browser.newContext(PHONE);
    const page = await ctx.newPage();
    const check = watchErrors(page);
    await page.goto(base + '/m/');
    await page.waitForURL('**/m/login**');
    await page.getByRole('tab', { name: '密码登录' }).click();
    await page.locator('#resident-phone').fill(s.resident.phone);
    await page.locator('#resident-password').fill(RESIDENT_PW);
    await page.getByTestId('resident-submit').click();
    await page.getByTestId('resident-name').waitFor();
    await page.getByTestId('tab-feedback').waitFor();

    const loaded = page.waitForResponse((r) => r.url().endsWith(`/api/v1/public/projects/${CODE}/improvements`));
    await page.getByTestId('feedback-open').click();
    await page.waitForURL('**/m/feedback');
    if ((await loaded).status() !== 200) throw new Error('the public list answered ' + (await loaded).status());
    const block = page.getByTestId(`feedback-project-${CODE}`);
    await checkBoard(block, s, block.getByTestId('improvements-plans-voice'));
    await page.getByText('上季度满意度调查').waitFor();
    await page.screenshot({ path: join(OUT, 'resident-feedback.png'), fullPage: true });

    check();
    await ctx.close();
  });

  test('resident_feedback: the public board shows the plan, the scores and nobody\'s name; a checked plan reads before → after', async ({ browser, server }) => {
    const base = server.base;
    const s = await setup(base);
    const ctx = await browser.newContext(PHONE);
    const page = await ctx.newPage();
    const check = watchErrors(page);
    await page.goto(base + `/p/${CODE}`);
    await page.getByTestId('disclosure-kpis').waitFor();
    const board = page.getByTestId('disclosure-improvements');
    await checkBoard(board, s, board.getByTestId('improvements-plans-all'));
    await board.getByText('整改公示 · 改进计划').waitFor();
    await assertNobody(base, s, await board.innerText());
    await page.screenshot({ path: join(OUT, 'public-improvements.png'), fullPage: true });
    // in English the same plan
    await page.getByTestId('lang-switch').click();
    await board.getByTestId(`improvement-${s.plan.id}`).getByTestId('improvement-state').getByText('Approved · in progress').waitFor();
    await board.getByTestId('improvements-dim-greening').getByText('under 85').waitFor();
    await page.getByTestId('lang-switch').click();
    await board.getByText('整改公示 · 改进计划').waitFor();

    // the demo's second project has a checked plan: before → after against the target
    const other = await call(base, 'GET', '/public/projects/HRESSC/improvements', null);
    const checked = other.improvements.find((p) => typeof p.check_value === 'number' && typeof p.metric.baseline === 'number' &&
      p.metric.kind === 'survey_dimension');
    if (checked) {
      await page.goto(base + '/p/HRESSC');
      const c = page.getByTestId(`improvement-${checked.id}`);
      const words = `整改前 ${round1(checked.metric.baseline)} 分 → 复测 ${round1(checked.check_value)} 分（目标 ${round1(checked.metric.target)} 分）`;
      await c.getByTestId('improvement-metric').getByText(words).waitFor();
      const want = { effective: '已见效', not_effective: '未达标·进入下一轮', checking: '复测中' }[checked.state];
      if (want) await c.getByTestId('improvement-state').getByText(want).waitFor();
    }
    check();
    await ctx.close();
  });
}
