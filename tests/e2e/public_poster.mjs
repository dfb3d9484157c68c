// tests/e2e/public_poster.mjs: a survey's lobby poster, /s/p/{id} (loaded by run.mjs).
// Through the real API a quality officer of a demo project drafts a survey and opens it
// (an invitation link per occupied room). On a phone viewport the poster page shows the
// project, the title, the period and the anonymity note; a resident with one invited room
// types the phone, asks for a code (the page only says one comes if the phone is on
// record), types a wrong code (the error under the code field), then the code from the
// server log, lands on the room's form, rates every question and sees the thank-you; the
// API then reads that room's invitation answered and one answer more. A second resident
// of the same room, asking for a code once one went out a moment ago, sees the countdown
// from Retry-After, proves the phone with that code and finds the room 已填写 with nothing
// to fill; the same in English. The officer closes the survey at the end.
import { join } from 'node:path';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const STAFF_PW = 'e2e-Poster-2026!';
// The demo's third project; the survey is closed at the end, as resident_survey expects the
// quarter's survey to be the project's only open one.
const PROJECT = 3;

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
  async function call(base, method, path, token, body, want = 200) {
    const r = await api(base, method, path, token, body);
    if (r.status !== want) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  }

  // The last SMS code sent to the phone after the log's offset `from`.
  async function codeFor(server, phone, from) {
    for (let i = 0; i < 50; i++) {
      const m = [...server.log().slice(from).matchAll(new RegExp(`sms to ${phone}: .*?(\\d{6})`, 'g'))];
      if (m.length) return m[m.length - 1][1];
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no code for ' + phone + ' in the server log');
  }

  // A room of the survey with an active resident whose only room it is (so the poster
  // lists exactly that room), preferring one with a second such resident.
  async function pickRoom(base, admin, survey) {
    const links = (await call(base, 'GET', `/surveys/${survey.id}/links`, admin)).items.filter((l) => !l.answered);
    let single = null;
    for (const l of links) {
      const rs = (await call(base, 'GET', `/projects/${PROJECT}/residents?room_id=${l.room_id}&active=1&limit=20`, admin)).items
        .filter((x) => x.active && x.phone && x.room_ids.length === 1 && x.room_ids[0] === l.room_id);
      const phones = [...new Set(rs.map((x) => x.phone))];
      if (phones.length >= 2) return { link: l, phones };
      if (phones.length === 1 && !single) single = { link: l, phones };
    }
    if (!single) throw new Error('no invited room with a one-room resident in survey ' + survey.id);
    return single;
  }

  test('public_poster: a resident proves the phone from the poster, answers for the room; a second resident finds it 已填写', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await call(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).token;
    const proj = await call(base, 'GET', `/projects/${PROJECT}`, admin);
    const suffix = Date.now().toString(36).slice(-5);
    const staff = await call(base, 'POST', '/staff', admin, {
      username: `e2e_poster_${suffix}`, password: STAFF_PW, name: '海报品质孙主管', role: 'quality', department: '品质部', project_ids: [proj.id],
    }, 201);
    const q = (await call(base, 'POST', '/auth/login', null, { username: staff.username, password: STAFF_PW })).token;
    const title = `E2E 海报满意度调查 ${suffix}`;
    const period = `E2E-${suffix}`;
    const survey = await call(base, 'POST', '/surveys', q, { project_id: proj.id, title, period }, 201);
    await call(base, 'POST', `/surveys/${survey.id}/actions/open`, q, {});
    try {
      await answerFromPoster({ browser, server, admin, q, proj, survey, title, period, suffix });
    } finally {
      await call(base, 'POST', `/surveys/${survey.id}/actions/close`, q, {});
    }
  });

  async function answerFromPoster({ browser, server, admin, q, proj, survey, title, period, suffix }) {
    const base = server.base;
    const { link, phones } = await pickRoom(base, admin, survey);

    const ctx = await browser.newContext(PHONE);
    const page = await ctx.newPage();
    const check = watchErrors(page);
    await page.goto(`${base}/s/p/${survey.id}`);
    await page.getByTestId('poster-project').getByText(proj.name).waitFor();
    await page.getByTestId('poster-title').getByText(title).waitFor();
    await page.getByTestId('poster-period').getByText(period).waitFor();
    await page.getByTestId('poster-anonymous').getByText('答卷不记录房号和姓名').waitFor();
    await page.getByTestId('poster-anonymous').getByText('个人信息').waitFor();
    if (page.url().includes('/login')) throw new Error('the poster asked for a login');
    await page.screenshot({ path: join(OUT, 'public-poster.png') });

    // not a mobile number: told under the phone field, nothing sent
    const phoneErr = page.locator('[data-testid=poster-phone] .van-field__error-message');
    const codeErr = page.locator('[data-testid=poster-code] .van-field__error-message');
    await page.locator('#poster-phone').fill('12345');
    await page.getByTestId('poster-send-code').click();
    await phoneErr.getByText('请填写 11 位中国大陆手机号').waitFor();

    const [phone, second] = phones;
    await page.locator('#poster-phone').fill(phone);
    if (await phoneErr.count()) throw new Error('the phone error stays after typing');
    const from = server.log().length;
    const sent = page.waitForResponse((r) => r.url().endsWith(`/api/v1/public/survey-posters/${survey.id}/code`));
    await page.getByTestId('poster-send-code').click();
    if ((await sent).status() !== 204) throw new Error('code request answered ' + (await sent).status());
    await page.getByTestId('poster-sent').getByText('若该手机号已在物业登记，您将收到短信验证码').waitFor();
    await page.getByTestId('poster-send-code').getByText(/\d+ 秒后重发/).waitFor();
    if (!(await page.getByTestId('poster-send-code').isDisabled())) throw new Error('send enabled during the countdown');
    const code = await codeFor(server, phone, from);

    // a wrong code: under the code field, still on the proof
    await page.locator('#poster-code').fill(code === '000000' ? '111111' : '000000');
    await page.getByTestId('poster-submit').click();
    await codeErr.getByText('验证码错误或已过期').waitFor();
    if (await page.getByTestId('poster-rooms').count()) throw new Error('a wrong code listed rooms');
    await page.screenshot({ path: join(OUT, 'public-poster-wrong-code.png') });

    // the right one: the only room's form straight away
    await page.locator('#poster-code').fill(code);
    await page.getByTestId('poster-submit').click();
    await page.getByTestId('poster-current').getByText(link.room).waitFor();
    await page.getByTestId('survey-title').getByText(title).waitFor();
    const answers = {};
    for (const [i, x] of survey.questions.filter((y) => y.type === 'scale').entries()) {
      const score = [5, 4, 3, 5, 4][i % 5];
      await page.getByTestId(`survey-q-${x.key}`).getByRole('radio').nth(score - 1).click();
      answers[x.key] = score;
    }
    const text = survey.questions.find((y) => y.type === 'text');
    if (text) await page.getByTestId(`survey-q-${text.key}`).locator('textarea').fill(`大堂海报扫码填写 ${suffix}`);
    const posted = page.waitForResponse((r) => r.url().endsWith(`/api/v1/public/surveys/${link.token}/responses`) && r.request().method() === 'POST');
    await page.getByTestId('survey-submit').click();
    const res = await posted;
    if (res.status() !== 201) throw new Error('answer posted: ' + res.status());
    if (JSON.stringify(res.request().postDataJSON().answers) !== JSON.stringify(answers)) throw new Error('posted ' + res.request().postData());
    await page.getByTestId('survey-thanks').getByText('感谢您的参与').waitFor();
    await page.screenshot({ path: join(OUT, 'public-poster-thanks.png') });
    check();
    await ctx.close();

    // the API: that room's invitation answered, one answer counted
    const l = (await call(base, 'GET', `/surveys/${survey.id}/links`, q)).items.find((x) => x.room_id === link.room_id);
    if (!l || l.answered !== true) throw new Error('the room\'s link after the answer: ' + JSON.stringify(l));
    const after = await call(base, 'GET', `/surveys/${survey.id}`, q);
    if (after.responses !== 1) throw new Error(`responses ${after.responses}, want 1`);
    if (!second) {
      console.log('     (no second resident in the room: checked through the API only)');
      return;
    }

    // a second resident of the room: a code went out a moment ago, so the page counts down
    const ctx2 = await browser.newContext(PHONE);
    const page2 = await ctx2.newPage();
    const check2 = watchErrors(page2);
    await page2.goto(`${base}/s/p/${survey.id}`);
    await page2.getByTestId('poster-title').getByText(title).waitFor();
    const from2 = server.log().length;
    await call(base, 'POST', `/public/survey-posters/${survey.id}/code`, null, { phone: second }, 204);
    const code2 = await codeFor(server, second, from2);
    await page2.locator('#poster-phone').fill(second);
    await page2.getByTestId('poster-send-code').click();
    await page2.locator('[data-testid=poster-phone] .van-field__error-message').getByText(/验证码发送过于频繁，请 \d+ 秒后再试/).waitFor();
    await page2.getByTestId('poster-send-code').getByText(/\d+ 秒后重发/).waitFor();
    await page2.locator('#poster-code').fill(code2);
    await page2.getByTestId('poster-submit').click();
    const rooms = page2.getByTestId('poster-rooms');
    await rooms.getByText('您的房屋都已填写本次调查').waitFor();
    const row = rooms.getByTestId('poster-room');
    if ((await row.count()) !== 1) throw new Error(`${await row.count()} rooms listed, want 1`);
    await row.getByTestId('poster-room-name').getByText(link.room).waitFor();
    await row.getByTestId('poster-room-answered').getByText('已填写').waitFor();
    if (await row.getByTestId('poster-room-fill').count()) throw new Error('an answered room offers 去填写');
    if (await page2.getByTestId('survey-submit').count()) throw new Error('an answered room opened a form');
    await page2.screenshot({ path: join(OUT, 'public-poster-answered.png') });
    await page2.getByTestId('lang-switch').click();
    await rooms.getByText('My homes').waitFor();
    await row.getByTestId('poster-room-answered').getByText('Answered').waitFor();
    await page2.getByTestId('poster-anonymous').getByText('never the room number or your name').waitFor();
    check2();
    await ctx2.close();
  }
}
