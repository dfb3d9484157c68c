// tests/e2e/console_meetings.mjs: 座谈会 and 神秘客 in the console (loaded by run.mjs). Through
// the API a fresh project with a desk clerk and a quality officer. The desk records a meeting
// with two topics — first with an empty title, whose 422 shows under 主题 in the server's words
// — then turns topic 1 into a complaint ticket in a category: the link to the ticket replaces
// the buttons, and the API has the ticket with channel meeting, that kind and category; the
// desk has no 转改进计划. The quality officer turns topic 2 into an improvement plan (source
// meeting), then on 神秘客 records a visit: the five usual items prefilled and scored, the mean
// shown while typing and on the visit (red, under 80), the bars drawn, and its plan raised.
import { join } from 'node:path';

const PW = 'e2e-Meetings-2026!';

// The text Element Plus shows under the form item that holds `testid`.
function fieldError(page, testid) {
  return page.locator('.el-form-item', { has: page.getByTestId(testid) }).locator('.el-form-item__error');
}

async function login(browser, base, username, errors) {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(`${username}: ${e}`));
  await page.goto(base + '/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PW);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('shell-username').waitFor();
  return { ctx, page };
}

export default function register(test, { api, OUT, ADMIN_PW }) {
  test('console_meetings: a meeting\'s topics become a ticket (desk) and a plan (quality); a 422 under 主题; a mystery visit\'s mean and its plan', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const call = async (method, path, body, token = admin, want = 200) => {
      const r = await api(base, method, path, token, body);
      if (r.status !== want) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    };
    const suffix = Date.now().toString(36).slice(-5);
    const proj = await call('POST', '/projects', { code: 'MT' + suffix.toUpperCase(), name: '座谈会苑' + suffix, address: '苏州市姑苏区', service_level: 2 }, admin, 201);
    const desk = await call('POST', '/staff', { username: `e2e_mt_desk_${suffix}`, password: PW, name: '座谈赵客服', role: 'desk', department: '客服', project_ids: [proj.id] }, admin, 201);
    const qa = await call('POST', '/staff', { username: `e2e_mt_qa_${suffix}`, password: PW, name: '座谈钱品质', role: 'quality', department: '品质部', project_ids: [proj.id] }, admin, 201);
    // a leaf of the category tree to pick in the cascader: [parent name, leaf name, path]
    const tree = (await call('GET', '/categories')).items;
    const parent = tree.find((c) => c.children && c.children.length);
    const leaf = parent.children[0];
    // the server's own words for an empty title
    const bad = await api(base, 'POST', '/meetings', admin, { project_id: proj.id, held_at: new Date(Date.now() - 3600e3).toISOString(), title: '' });
    if (bad.status !== 422 || bad.json.error.field !== 'title') throw new Error('empty title answered ' + JSON.stringify(bad));
    const errors = [];

    // the desk records the meeting; the empty title first
    const d = await login(browser, base, desk.username, errors);
    let page = d.page;
    await page.getByTestId('menu-voice-meetings').click();
    await page.waitForURL('**/voice/meetings');
    await page.getByTestId('meeting-record').click();
    await page.getByTestId('mf-place').fill('会所二楼');
    await page.getByTestId('mf-attendees').locator('input').fill('15');
    await page.getByTestId('mf-note').fill('业委会 3 人、业主代表 12 人');
    await page.getByTestId('mf-summary').fill('业主关心电梯与地库照明');
    await page.getByTestId('mf-topic-0').fill('3栋电梯经常停在顶层不动');
    await page.getByTestId('mf-add-topic').click();
    await page.getByTestId('mf-topic-1').fill('地库照明太暗');
    await page.getByTestId('mf-save').click();
    await fieldError(page, 'mf-title').getByText(bad.json.error.message, { exact: true }).waitFor();
    const title = '四季度业主座谈会 ' + suffix;
    await page.getByTestId('mf-title').fill(title);
    await page.getByTestId('mf-save').click();
    await page.getByTestId('meeting-form').waitFor({ state: 'hidden' });
    const listed = (await call('GET', `/meetings?project_id=${proj.id}`)).items.find((m) => m.title === title);
    if (!listed) throw new Error('the meeting is not listed by the API');
    const meeting = await call('GET', `/meetings/${listed.id}`); // the list comes without topics
    if (meeting.attendees !== 15 || meeting.attendee_note !== '业委会 3 人、业主代表 12 人' || meeting.topics.length !== 2) throw new Error('meeting saved as ' + JSON.stringify(meeting));
    await page.getByTestId(`meeting-topics-${meeting.id}`).getByText('2 条 · 已转 0').waitFor();

    // its drawer opened on saving: topic 1 → a complaint ticket in the leaf category
    const drawer = page.getByTestId('meeting-detail');
    await drawer.getByTestId('md-title').getByText(title).waitFor();
    if (await drawer.getByTestId('topic-plan-2').count()) throw new Error('the desk is offered 转改进计划');
    await drawer.getByTestId('topic-ticket-1').click();
    await drawer.getByTestId('tt-kind-1').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '投诉' }).click();
    await drawer.getByTestId('topic-category-1').click();
    await page.locator('.el-cascader-node:visible', { hasText: parent.name }).first().click();
    await page.locator('.el-cascader-node:visible', { hasText: leaf.name }).first().click();
    await drawer.getByTestId('topic-confirm-1').click();
    const link = drawer.getByTestId('topic-ticket-link-1');
    await link.waitFor();
    const href = await link.getAttribute('href');
    const ticketId = Number((/\/tickets\/(\d+)$/.exec(href || '') || [])[1]);
    if (!ticketId) throw new Error('the ticket link is ' + href);
    if (await drawer.getByTestId('topic-ticket-1').count()) throw new Error('topic 1 still offers 转工单');
    const ticket = await call('GET', `/tickets/${ticketId}`);
    if (ticket.channel !== 'meeting' || ticket.kind !== 'complaint' || ticket.category !== leaf.path || ticket.project_id !== proj.id) {
      throw new Error('the ticket is ' + JSON.stringify({ channel: ticket.channel, kind: ticket.kind, category: ticket.category, project: ticket.project_id }));
    }
    await page.getByTestId(`meeting-topics-${meeting.id}`).getByText('2 条 · 已转 1').waitFor();
    await page.screenshot({ path: join(OUT, 'console-meeting-ticket.png') });
    await d.ctx.close();

    // the quality officer turns topic 2 into a plan
    const q = await login(browser, base, qa.username, errors);
    page = q.page;
    if (await page.getByTestId('project-switcher').count()) {
      await page.getByTestId('project-switcher').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: proj.name }).click();
    }
    await page.getByTestId('menu-voice-meetings').click();
    await page.getByTestId(`meeting-row-${meeting.id}`).click();
    const qd = page.getByTestId('meeting-detail');
    await qd.getByTestId('topic-ticket-link-1').waitFor();
    await qd.getByTestId('topic-plan-2').click();
    await qd.getByTestId('topic-confirm-2').click();
    const plink = qd.getByTestId('topic-plan-link-2');
    await plink.waitFor();
    const planId = Number((/\/voice\/improvements\/(\d+)$/.exec((await plink.getAttribute('href')) || '') || [])[1]);
    const plan = await call('GET', `/improvements/${planId}`);
    if (plan.source !== 'meeting' || plan.source_ref !== `meeting:${meeting.id}:2` || plan.problem !== '地库照明太暗') throw new Error('the plan is ' + JSON.stringify(plan));
    await page.keyboard.press('Escape');
    await qd.waitFor({ state: 'hidden' });

    // 神秘客: a visit with the five usual items, its mean, its bars, its plan
    await page.getByRole('tab', { name: '神秘客' }).click();
    await page.waitForURL('**/voice/mystery');
    await page.getByTestId('mystery-record').click();
    const items = ['接听礼貌', '响应速度', '上门准时', '服务规范', '完工清洁'];
    const scores = [90, 60, 75, 83, 70];
    for (let i = 0; i < items.length; i++) {
      const name = await page.getByTestId(`yf-item-${i}`).inputValue();
      if (name !== items[i]) throw new Error(`item ${i} prefilled as ${name}`);
      await page.getByTestId(`yf-score-${i}`).locator('input').fill(String(scores[i]));
      await page.getByTestId(`yf-score-${i}`).locator('input').blur();
    }
    const mean = (scores.reduce((a, b) => a + b, 0) / scores.length).toFixed(1); // 75.6
    await page.getByTestId('yf-mean').getByText(mean, { exact: true }).waitFor();
    await page.getByTestId('yf-agency').fill('某第三方测评公司');
    const scenario = '电话报修水管漏水 ' + suffix;
    await page.getByTestId('yf-scenario').fill(scenario);
    await page.getByTestId('yf-findings').fill('报修后 40 分钟才回电；上门未穿鞋套');
    await page.getByTestId('yf-save').click();
    await page.getByTestId('mystery-form').waitFor({ state: 'hidden' });
    const visit = (await call('GET', `/mystery-visits?project_id=${proj.id}`)).items.find((v) => v.scenario === scenario);
    if (!visit || visit.total.toFixed(1) !== mean) throw new Error('the visit is ' + JSON.stringify(visit));
    const yd = page.getByTestId('mystery-detail');
    await yd.getByTestId('yd-total').getByText(mean, { exact: true }).waitFor();
    await yd.getByTestId('yd-below').waitFor(); // under 80
    await page.getByTestId(`mystery-total-${visit.id}`).getByText(mean, { exact: true }).waitFor();
    const canvas = yd.getByTestId('yd-chart').locator('canvas').first();
    await canvas.waitFor();
    const box = await canvas.boundingBox();
    if (!box || box.width < 50 || box.height < 50) throw new Error('bar chart canvas ' + JSON.stringify(box));
    await yd.getByTestId('yd-plan').click();
    const vlink = yd.getByTestId('yd-plan-link');
    await vlink.waitFor();
    const after = await call('GET', `/mystery-visits/${visit.id}`);
    if (!after.improvement_id || !(await vlink.getAttribute('href')).endsWith(`/voice/improvements/${after.improvement_id}`)) throw new Error('the visit\'s plan is ' + after.improvement_id);
    const vplan = await call('GET', `/improvements/${after.improvement_id}`);
    if (vplan.source !== 'mystery' || vplan.metric.baseline !== visit.total) throw new Error('the visit\'s plan is ' + JSON.stringify(vplan));
    await page.getByTestId(`mystery-plan-${visit.id}`).waitFor();
    await page.screenshot({ path: join(OUT, 'console-mystery-visit.png') });
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
    await q.ctx.close();
  });
}
