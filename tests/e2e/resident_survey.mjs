// tests/e2e/resident_survey.mjs: satisfaction surveys on the phone (loaded by run.mjs).
// The demo opens a survey of the current quarter per project with an invitation for
// every occupied room. A resident of an unanswered room sees the banner on /m/, rates
// every question, writes a comment, sends, sees the thank-you and no banner; the survey
// counts one answer more, the room's link reads answered, and the answer as kept holds
// the building, never the room. Then another room's invitation link (/s/{token}) is
// answered without a login, the same way, and shows "已填写，感谢" when opened again; a
// link answered meanwhile and a closed survey's link are told in words.
import { join } from 'node:path';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const RESIDENT_PW = 'Resident-survey-2026';
const PROJECT = 3; // the other phone tests use residents of projects 1 and 2
const SCORES = [5, 4, 5, 3, 4, 5, 2, 4, 5, 3];

export default function register(test, { api, OUT, ADMIN_PW }) {
  const state = { used: new Set() };

  async function admin(base) {
    if (!state.admin) {
      const r = await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW });
      if (r.status !== 200) throw new Error('admin login: ' + r.status);
      state.admin = r.json.token;
    }
    return state.admin;
  }

  async function get(base, path) {
    const r = await api(base, 'GET', path, await admin(base));
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  }

  // The project's open survey (the demo's current quarter).
  async function openSurvey(base) {
    const items = (await get(base, `/surveys?project_id=${PROJECT}&state=open`)).items;
    const s = items.find((x) => x.questions.some((q) => q.type === 'scale'));
    if (!s) throw new Error('no open survey in project ' + PROJECT);
    return s;
  }

  async function links(base, id) {
    return (await get(base, `/surveys/${id}/links`)).items;
  }

  // An unanswered room no other step took; `withResident`: one whose resident has only
  // this room (so the home shows exactly one banner).
  async function freeRoom(base, survey, withResident) {
    const all = (await links(base, survey.id)).filter((l) => !l.answered && !state.used.has(l.room_id));
    for (const l of all.reverse()) {
      if (!withResident) {
        state.used.add(l.room_id);
        return { link: l };
      }
      const rs = (await get(base, `/projects/${PROJECT}/residents?room_id=${l.room_id}&active=1&limit=20`)).items;
      const r = rs.find((x) => x.active && x.room_ids.length === 1 && x.room_ids[0] === l.room_id && x.phone);
      if (r) {
        state.used.add(l.room_id);
        return { link: l, resident: r };
      }
    }
    throw new Error('no unanswered room left in survey ' + survey.id);
  }

  // Every stored answer of the survey (cursor paging).
  async function responses(base, id) {
    const out = [];
    let cursor = '';
    for (let i = 0; i < 100; i++) {
      const page = await get(base, `/surveys/${id}/responses?limit=100${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
      out.push(...page.items);
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    return out;
  }

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

  // Rates every scale question on the form (SCORES in turn), checks each row names its
  // question and dimension, and types the comment into every open question.
  async function fillForm(page, survey, comment) {
    await page.getByTestId('survey-anonymous').getByText('不记录房号和姓名').waitFor();
    await page.getByTestId('survey-anonymous').getByText('按您写的原文展示给物业工作人员').waitFor();
    const dims = new Map(survey.dimensions.map((d) => [d.key, d.label]));
    const answers = {};
    const comments = {};
    let i = 0;
    for (const q of survey.questions) {
      const row = page.getByTestId(`survey-q-${q.key}`);
      const label = (await row.getByTestId('survey-question').textContent()).trim();
      if (label !== q.label) throw new Error(`${q.key} reads "${label}", wants "${q.label}"`);
      if (q.type === 'scale') {
        const dim = (await row.getByTestId('survey-dimension').textContent()).trim();
        if (dim !== dims.get(q.dimension)) throw new Error(`${q.key} shows dimension ${dim}, wants ${dims.get(q.dimension)}`);
        const score = SCORES[i++ % SCORES.length];
        await row.getByRole('radio').nth(score - 1).click();
        const checked = await row.locator('[role=radio][aria-checked=true]').count();
        if (checked !== score) throw new Error(`${q.key}: ${checked} stars lit after tapping star ${score}`);
        answers[q.key] = score;
      } else {
        const text = `${comment}（${q.key}）`;
        await row.locator('textarea').fill(text);
        comments[q.key] = text;
      }
    }
    await page.getByText(`已评 ${Object.keys(answers).length}/${Object.keys(answers).length} 项`).waitFor();
    return { answers, comments };
  }

  // The survey counts one answer more, the room's link reads answered, and the kept
  // answer (found by its comment) holds exactly what was rated, the room's building
  // and no room.
  async function assertAnswered(base, survey, before, link, sent) {
    const after = await get(base, `/surveys/${survey.id}`);
    if (after.responses !== before + 1) throw new Error(`responses ${before} → ${after.responses}, want +1`);
    const l = (await links(base, survey.id)).find((x) => x.room_id === link.room_id);
    if (!l || l.answered !== true) throw new Error('link after the answer: ' + JSON.stringify(l));
    const key = Object.keys(sent.comments)[0];
    const kept = (await responses(base, survey.id)).filter((x) => x.comments && x.comments[key] === sent.comments[key]);
    if (kept.length !== 1) throw new Error(`${kept.length} kept answers carry the comment`);
    const k = kept[0];
    if (JSON.stringify(k.answers, Object.keys(sent.answers).sort()) !== JSON.stringify(sent.answers, Object.keys(sent.answers).sort()) ||
        Object.keys(k.answers).length !== Object.keys(sent.answers).length)
      throw new Error('kept answers ' + JSON.stringify(k.answers) + ' sent ' + JSON.stringify(sent.answers));
    if (k.building_id !== link.building_id) throw new Error(`kept building ${k.building_id}, room's ${link.building_id}`);
    if ('room_id' in k || 'room' in k || 'token' in k) throw new Error('the kept answer names the room: ' + JSON.stringify(k));
  }

  test('resident_survey: a resident sees the banner, rates every question, comments and sends; the banner goes', async ({ browser, server }) => {
    const base = server.base;
    const token = await admin(base);
    const survey = await openSurvey(base);
    const { link, resident } = await freeRoom(base, survey, true);
    const set = await api(base, 'POST', `/residents/${resident.id}/password`, token, { password: RESIDENT_PW });
    if (set.status !== 204) throw new Error('set password: ' + JSON.stringify(set.json));
    const before = survey.responses;

    const ctx = await browser.newContext(PHONE);
    const page = await ctx.newPage();
    const check = watchErrors(page);
    await page.goto(base + '/m/');
    await page.waitForURL('**/m/login**');
    await page.getByRole('tab', { name: '密码登录' }).click();
    await page.locator('#resident-phone').fill(resident.phone);
    await page.locator('#resident-password').fill(RESIDENT_PW);
    await page.getByTestId('resident-submit').click();
    await page.getByTestId('resident-name').waitFor();

    const banner = page.getByTestId('survey-banner');
    await banner.getByText('您有一份满意度调查待填写，约1分钟').waitFor();
    if ((await banner.count()) !== 1) throw new Error(`${await banner.count()} banners for a one-room resident`);
    const sub = await banner.getByTestId('survey-banner-room').textContent();
    if (!sub.includes(link.room) || !sub.includes(survey.title)) throw new Error(`banner says "${sub}", room ${link.room}`);
    await page.screenshot({ path: join(OUT, 'resident-survey-banner.png') });

    await banner.click();
    await page.waitForURL((u) => u.pathname === `/m/surveys/${survey.id}` && u.searchParams.get('room_id') === String(link.room_id));
    await page.getByTestId('survey-title').getByText(survey.title).waitFor();
    await page.getByTestId('survey-room').getByText(link.room).waitFor();

    // nothing rated yet: the form says so and sends nothing
    let posts = 0;
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().includes(`/api/v1/surveys/${survey.id}/responses`)) posts++; });
    await page.getByTestId('survey-submit').click();
    await page.getByTestId('survey-error').getByText('请至少为一项打分').waitFor();
    if (posts !== 0) throw new Error('an empty form was posted');

    const sent = await fillForm(page, survey, `电梯按钮有时失灵，希望尽快检修 ${Date.now().toString(36)}`);
    if (await page.getByTestId('survey-error').count()) throw new Error('"rate at least one" still shown after rating');
    await page.screenshot({ path: join(OUT, 'resident-survey-form.png'), fullPage: true });
    const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/surveys/${survey.id}/responses`) && r.request().method() === 'POST');
    await page.getByTestId('survey-submit').click();
    const res = await answered;
    if (res.status() !== 201) throw new Error('answer posted: ' + res.status());
    const body = res.request().postDataJSON();
    if (body.room_id !== link.room_id || JSON.stringify(body.answers) !== JSON.stringify(sent.answers) ||
        JSON.stringify(body.comments) !== JSON.stringify(sent.comments))
      throw new Error('posted ' + JSON.stringify(body));
    await page.getByTestId('survey-thanks').getByText('感谢您的参与').waitFor();
    await page.screenshot({ path: join(OUT, 'resident-survey-thanks.png') });

    await assertAnswered(base, survey, before, link, sent);

    // home again: the banner is gone once /me/surveys has answered
    const mine = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/surveys'));
    await page.getByTestId('survey-home').click();
    await page.waitForURL((u) => u.pathname === '/m/' || u.pathname === '/m');
    const list = await (await mine).json();
    if (list.items.some((x) => x.id === survey.id && x.room_id === link.room_id)) throw new Error('/me/surveys still lists the room');
    await page.getByTestId('resident-name').waitFor();
    await page.waitForTimeout(200);
    if ((await page.getByTestId('survey-banner').count()) !== 0) throw new Error('the banner is still shown');
    // and the form's address answers that it is done
    await page.goto(base + `/m/surveys/${survey.id}?room_id=${link.room_id}`);
    await page.getByTestId('survey-gone').getByText('这份调查已填写或已结束').waitFor();
    check();
    await ctx.close();
  });

  test('resident_survey: an invitation link is answered without a login and then reads 已填写，感谢', async ({ browser, server }) => {
    const base = server.base;
    const survey = await openSurvey(base);
    const { link } = await freeRoom(base, survey, false);
    if (link.path !== `/s/${link.token}`) throw new Error('link path ' + link.path);
    const before = survey.responses;

    const ctx = await browser.newContext(PHONE);
    const page = await ctx.newPage();
    const check = watchErrors(page);
    await page.goto(base + link.path);
    await page.getByTestId('survey-title').getByText(survey.title).waitFor();
    const project = (await get(base, `/projects/${PROJECT}`)).name;
    await page.getByTestId('survey-project').getByText(project).waitFor();
    if (await page.getByTestId('survey-room').count()) throw new Error('the link page names the room');
    if (page.url().includes('/login')) throw new Error('the link asked for a login');

    const sent = await fillForm(page, survey, `绿化带的落叶希望及时清扫 ${Date.now().toString(36)}`);
    const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/public/surveys/${link.token}/responses`) && r.request().method() === 'POST');
    await page.getByTestId('survey-submit').click();
    const res = await answered;
    if (res.status() !== 201) throw new Error('answer posted: ' + res.status());
    const body = res.request().postDataJSON();
    if ('room_id' in body || JSON.stringify(body.answers) !== JSON.stringify(sent.answers)) throw new Error('posted ' + JSON.stringify(body));
    await page.getByTestId('survey-thanks').getByText('感谢您的参与').waitFor();
    await page.screenshot({ path: join(OUT, 'public-survey-thanks.png') });

    await assertAnswered(base, survey, before, link, sent);

    await page.reload();
    await page.getByTestId('survey-answered').getByText('已填写，感谢').waitFor();
    if (await page.getByTestId('survey-submit').count()) throw new Error('an answered link still shows the form');
    check();
    await ctx.close();
  });

  test('resident_survey: a link answered meanwhile and a closed survey\'s link are told in words', async ({ browser, server }) => {
    const base = server.base;
    const survey = await openSurvey(base);
    const { link } = await freeRoom(base, survey, false);
    const ctx = await browser.newContext(PHONE);
    const page = await ctx.newPage();
    const check = watchErrors(page);

    // the form is open when someone else of the household answers through the same link
    await page.goto(base + link.path);
    await page.getByTestId('survey-submit').waitFor();
    const q = survey.questions.find((x) => x.type === 'scale');
    const other = await api(base, 'POST', `/public/surveys/${link.token}/responses`, null, { answers: { [q.key]: 4 } });
    if (other.status !== 201) throw new Error('the other answer: ' + other.status + ' ' + JSON.stringify(other.json));
    await page.getByTestId(`survey-q-${q.key}`).getByRole('radio').nth(2).click();
    await page.getByTestId('survey-submit').click();
    await page.getByTestId('survey-error').getByText('这套房屋已经填写过本次调查').waitFor();
    if (!(await page.getByTestId('survey-submit').isDisabled())) throw new Error('submit still enabled after 409 conflict');

    // a closed survey of the same project (an earlier quarter): its unanswered link
    const closed = (await get(base, `/surveys?project_id=${PROJECT}&state=closed`)).items[0];
    if (!closed) throw new Error('no closed survey in project ' + PROJECT);
    const old = (await links(base, closed.id)).find((l) => !l.answered);
    await page.goto(base + old.path);
    await page.getByTestId('survey-closed').getByText('调查已结束').waitFor();
    await page.getByTestId('survey-closed').getByText(closed.title).waitFor();
    if (await page.getByTestId('survey-submit').count()) throw new Error('a closed survey shows the form');
    await page.screenshot({ path: join(OUT, 'public-survey-closed.png') });

    // an unknown token
    await page.goto(base + '/s/no-such-token-000000');
    await page.getByTestId('survey-missing').getByText('调查链接无效').waitFor();
    check();
    await ctx.close();
  });
}
