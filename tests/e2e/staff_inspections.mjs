// tests/e2e/staff_inspections.mjs: 品质检查 and 整改 on the staff phone (loaded by
// run.mjs). Through the API as admin: a fresh project with four buildings, a
// cleaner (保洁部), two quality inspectors and a manager; a daily cross-check of
// 保洁部 by the first inspector with two items tied to cleaning standards (its
// task open now). On a 390×844 phone the inspector opens the task from 我的任务,
// goes item by item ("第 1/2 项", the standard's requirement shown), answers one
// 合格 and one 不合格 with a photo, 问题描述 and 整改要求, finishes, and sees the
// score the server computed from the standards' weights and the rectification
// raised. The cleaner finds it under 整改 (after an older overdue one, which is
// first and red), is refused without a photo, submits with one (待复检, no 复检
// for a cleaner). The second inspector, who submitted another rectification
// himself, is shown the server's 403; the first inspector sends that one back
// (不通过: a reason and a new due, round 2) and re-checks ours 通过; through the
// API it is passed. A spot check (level spot) shows the manager the
// three buildings the server drew.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==',
  'base64',
);
const PW = 'e2e-Staff-2026!';

function rfc3339(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

async function phoneLogin(browser, base, username, errors) {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(`${username}: ${e}`));
  await page.goto(base + '/w/');
  await page.waitForURL('**/w/login');
  await page.getByTestId('staff-login-username').locator('input').fill(username);
  await page.getByTestId('staff-login-password').locator('input').fill(PW);
  await page.getByTestId('staff-login-submit').click();
  await page.waitForURL((u) => u.pathname === '/w/' || u.pathname === '/w');
  return { ctx, page };
}

async function text(loc) {
  return ((await loc.textContent()) || '').replace(/\s+/g, ' ').trim();
}

// Each test's name ends in [staff_inspections]: `node tests/e2e/run.mjs staff_inspections`
// runs this file's tests (the runner filters by name).
export default function register(test, { api, OUT, ADMIN_PW }) {
  // One world for both tests, made once.
  let world = null;
  async function setup(base) {
    if (world) return world;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const suffix = Date.now().toString(36).slice(-5).toLowerCase();
    const post = async (path, body, token = admin) => {
      const r = await api(base, 'POST', path, token, body);
      if (r.status !== 201 && r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    };
    const proj = await post('/projects', { code: 'QC' + suffix.toUpperCase(), name: '品质测试苑' + suffix, address: '杭州市西湖区', service_level: 2 });
    for (const name of ['1栋', '2栋', '3栋', '5栋']) await post(`/projects/${proj.id}/buildings`, { name, floors: 18 });
    const staff = (role, name, department) =>
      post('/staff', { username: `e2e_${role}_${suffix}_${name.length}${Math.floor(Math.random() * 1000)}`, password: PW, name, role, department, project_ids: [proj.id] });
    const cleaner = await staff('cleaner', '保洁刘阿姨', '保洁部');
    const q1 = await staff('quality', '品质张工', '品质部');
    const q2 = await staff('quality', '品质李工', '品质部');
    const manager = await staff('manager', '项目王经理', '管理处');
    const login = async (u) => (await api(base, 'POST', '/auth/login', null, { username: u.username, password: PW })).json.token;
    const std = (await api(base, 'GET', '/standards?department=cleaning', admin)).json.items;
    const s1 = std.find((s) => s.code === 'BJ-01') || std[0];
    const s2 = std.find((s) => s.code === 'BJ-03') || std[1];
    if (!s1 || !s2 || s1.id === s2.id) throw new Error('two cleaning standards needed: ' + JSON.stringify(std.map((s) => s.code)));
    world = { admin, proj, cleaner, q1, q2, manager, s1, s2, post, login };
    return world;
  }

  test('staff: an inspection item by item on the phone (standard, 合格 / 不合格 with photo), its score and rectification; the cleaner submits it under 整改, a quality inspector re-checks it passed [staff_inspections]', async ({ browser, server }) => {
    const base = server.base;
    const { admin, proj, cleaner, q1, q2, s1, s2, post, login } = await setup(base);
    const errors = [];

    const title = '保洁交叉检查 ' + Date.now().toString(36).slice(-4);
    const plan = await post('/plans', {
      project_id: proj.id, kind: 'inspection', level: 'cross', title, rrule: 'FREQ=DAILY',
      dtstart: rfc3339(Date.now() - 600 * 1000), window_minutes: 600, inspected_department: '保洁部',
      assign: { staff_id: q1.id },
      checklist: [
        { key: 'sweep', label: '公共区域清扫', type: 'check', required: true, standard_id: s1.id },
        { key: 'lift', label: '电梯轿厢清洁消毒', type: 'check', required: true, standard_id: s2.id },
      ],
    });
    const task = (await api(base, 'GET', `/tasks?plan_id=${plan.id}&state=scheduled&limit=5`, admin)).json.items
      .find((x) => Date.parse(x.starts_at) <= Date.now());
    if (!task || task.assignee_id !== q1.id) throw new Error('no open inspection task for the inspector');

    // an older rectification of 保洁部, already past due: first in the list, in red
    const old = await post('/rectifications', { project_id: proj.id, department: 'cleaning', problem: '垃圾房门口有积水未清理', location: '2栋垃圾房', severity: 'minor' });
    const pastDue = Math.floor(Date.now() / 1000) - 3600;
    const sq = spawnSync('python3', ['-c', 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1], timeout=10); c.execute("UPDATE rectifications SET due_at=? WHERE id=?", (int(sys.argv[2]), int(sys.argv[3]))); c.commit()',
      join(server.dir, 'anju.db'), String(pastDue), String(old.id)], { encoding: 'utf8' });
    if (sq.status !== 0) throw new Error('set the due in the past: ' + sq.stderr);
    if ((await api(base, 'GET', `/rectifications/${old.id}`, admin)).json.overdue !== true) throw new Error('the old rectification is not overdue');

    // --- The inspector on the phone ---
    const ins = await phoneLogin(browser, base, q1.username, errors);
    let page = ins.page;
    await page.getByTestId(`staff-task-${task.id}`).click();
    await page.waitForURL(`**/w/tasks/${task.id}`);
    await page.getByTestId('inspection-step').getByText('第 1/2 项').waitFor();
    if (await page.getByTestId('inspection-buildings').count()) throw new Error('a cross-check shows buildings');
    const std1 = page.getByTestId('item-standard-sweep');
    await std1.waitFor();
    if (!(await text(std1)).includes(s1.requirement.replace(/\s+/g, ' ').trim().slice(0, 20))) throw new Error('the standard shown: ' + (await text(std1)));
    if (!(await text(page.getByTestId('item-ok-sweep'))).includes('合格')) throw new Error('no 合格 button');
    if (await page.getByTestId('item-lift').isVisible()) throw new Error('the second item shows on the first screen');
    await page.getByTestId('item-ok-sweep').click();
    await page.getByTestId('item-saved-sweep').waitFor();
    await page.getByTestId('inspection-next').click();
    await page.getByTestId('inspection-step').getByText('第 2/2 项').waitFor();
    await page.getByTestId('item-standard-lift').waitFor();
    await page.getByTestId('item-bad-lift').click();
    await page.getByTestId('item-lift').getByText('整改要求').waitFor();
    await page.getByTestId('item-photo-lift').locator('input[type=file]').setInputFiles({ name: 'lift.png', mimeType: 'image/png', buffer: PNG_1x1 });
    await page.getByTestId('item-note-lift').locator('textarea').fill('轿厢扶手有污渍，消毒记录缺 2 天');
    await page.getByTestId('item-measure-lift').locator('textarea').fill('当日清洁消毒并补全记录');
    await page.getByTestId('item-save-lift').click();
    await page.getByTestId('item-saved-lift').waitFor();
    await page.getByTestId('inspection-dot-sweep').and(page.locator('.pass')).waitFor();
    await page.getByTestId('inspection-dot-lift').and(page.locator('.fail')).waitFor();
    await page.screenshot({ path: join(OUT, 'staff-inspection-answered.png'), fullPage: true });

    await page.getByTestId('task-finish').click();
    await page.getByTestId('task-state').getByText('已完成').waitFor();
    const done = (await api(base, 'GET', `/tasks/${task.id}`, admin)).json;
    const want = Math.round((100 * s1.weight) / (s1.weight + s2.weight));
    if (done.state !== 'done' || done.score !== want) throw new Error(`after finish: state ${done.state}, score ${done.score}, want ${want}`);
    const lift = done.items.find((i) => i.key === 'lift').result;
    const rid = lift.rectification_id;
    if (!rid || lift.ticket_id || lift.photos.length !== 1 || lift.note !== '轿厢扶手有污渍，消毒记录缺 2 天' || lift.measure !== '当日清洁消毒并补全记录') {
      throw new Error('the failed result: ' + JSON.stringify(lift));
    }
    if (done.items.find((i) => i.key === 'sweep').result.rectification_id) throw new Error('a passed item raised a rectification');
    if ((await text(page.getByTestId('inspection-score-value'))) !== String(want)) throw new Error('score shown: ' + (await text(page.getByTestId('inspection-score-value'))));
    await page.getByTestId('inspection-raised').getByText('已生成 1 张整改单').waitFor();
    await page.getByTestId('task-result').getByText(`得分 ${want}`).waitFor();
    const link = page.getByTestId('item-rectification-lift');
    if (!(await text(link)).includes(`#${rid}`)) throw new Error('the rectification link: ' + (await text(link)));
    if (await page.getByTestId('task-finish').count()) throw new Error('a finished inspection still offers 完成任务');
    await page.screenshot({ path: join(OUT, 'staff-inspection-finished.png'), fullPage: true });
    // its rectification, from the item: the problem, the standard, the inspector's photo
    await link.click();
    await page.waitForURL(`**/w/rectifications/${rid}`);
    await page.getByTestId('rect-state').getByText('待整改').waitFor();
    await page.getByTestId('rect-problem').getByText('轿厢扶手有污渍').waitFor();
    await page.getByTestId('rect-standard').getByText(s2.code).waitFor();
    await page.getByTestId('rect-source').locator('img').first().waitFor();
    await page.goto(base + '/w/');

    // --- The cleaner: 整改 ---
    const cl = await phoneLogin(browser, base, cleaner.username, errors);
    const cp = cl.page;
    await cp.getByTestId('tab-rect').click();
    await cp.waitForURL('**/w/rectifications');
    const cards = cp.locator('[data-testid^=staff-rect-]:not([data-testid*=overdue])');
    await cp.getByTestId(`staff-rect-${rid}`).waitFor();
    const order = await cards.evaluateAll((els) => els.map((e) => e.dataset.testid));
    if (order[0] !== `staff-rect-${old.id}` || !order.includes(`staff-rect-${rid}`)) throw new Error('待整改 order: ' + order.join(', '));
    await cp.getByTestId(`staff-rect-overdue-${old.id}`).getByText('已逾期').waitFor();
    if (!(await cp.getByTestId(`staff-rect-${old.id}`).getAttribute('class')).includes('late')) throw new Error('the overdue card is not highlighted');
    if (await cp.getByTestId(`staff-rect-overdue-${rid}`).count()) throw new Error('a rectification due later shows 已逾期');
    await cp.screenshot({ path: join(OUT, 'staff-rectifications.png') });
    await cp.getByTestId(`staff-rect-${rid}`).click();
    await cp.waitForURL(`**/w/rectifications/${rid}`);
    await cp.getByTestId('rect-standard').getByText(s2.code).waitFor();
    // what the inspector asked for, and the photo taken, reach the department
    await cp.getByTestId('rect-source').getByText('当日清洁消毒并补全记录').waitFor();
    await cp.getByTestId('rect-source').locator('img').first().waitFor();
    if (await cp.getByTestId('rect-recheck-form').count()) throw new Error('a cleaner is offered 复检');
    await cp.getByTestId('rect-submit-note').locator('textarea').fill('已清洁扶手并消毒，补全消毒记录');
    await cp.getByTestId('rect-submit').click();
    await cp.getByTestId('rect-submit-photos').getByText('请至少上传一张整改后的照片').waitFor();
    if ((await api(base, 'GET', `/rectifications/${rid}`, admin)).json.state !== 'open') throw new Error('submitted without a photo');
    await cp.getByTestId('rect-submit-photos').locator('input[type=file]').setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: PNG_1x1 });
    await cp.getByTestId('rect-submit-photos').locator('.van-uploader__preview img').waitFor();
    await cp.getByTestId('rect-submit').click();
    await cp.getByTestId('rect-state').getByText('待复检').waitFor();
    await cp.getByTestId('rect-waiting').waitFor();
    await cp.getByTestId('rect-history-submitted').getByText('已清洁扶手并消毒').waitFor();
    await cp.screenshot({ path: join(OUT, 'staff-rectification-submitted.png'), fullPage: true });
    const sub = (await api(base, 'GET', `/rectifications/${rid}`, admin)).json;
    if (sub.state !== 'submitted' || sub.submitted_by !== cleaner.id || sub.submit_photos.length !== 1 || sub.submit_note !== '已清洁扶手并消毒，补全消毒记录') {
      throw new Error('after submit: ' + JSON.stringify(sub));
    }
    await cl.ctx.close();

    // --- An inspector who submitted the work himself is refused: the server's words ---
    const q2t = await login(q2);
    const own = await post('/rectifications', { project_id: proj.id, department: 'cleaning', problem: '绿化带内有烟头', severity: 'minor' }, q2t);
    await post(`/rectifications/${own.id}/actions/submit`, { note: '已清理', photos: [] }, q2t);
    const qq = await phoneLogin(browser, base, q2.username, errors);
    await qq.page.goto(base + `/w/rectifications/${own.id}`);
    await qq.page.getByTestId('rect-recheck-pass').click();
    await qq.page.getByTestId('rect-recheck-submit').click();
    await qq.page.getByTestId('rect-error').getByText('提交人不能复检自己的整改').waitFor();
    if ((await api(base, 'GET', `/rectifications/${own.id}`, admin)).json.state !== 'submitted') throw new Error('the submitter re-checked his own');
    await qq.ctx.close();

    // --- The first inspector sends that one back: 不通过 needs a reason and a new due ---
    await page.goto(base + `/w/rectifications/${own.id}`);
    await page.getByTestId('rect-recheck-fail').click();
    await page.getByTestId('rect-recheck-due').waitFor();
    await page.getByTestId('rect-recheck-submit').click();
    await page.getByTestId('rect-recheck-form').getByText('不通过请说明原因').waitFor();
    await page.getByTestId('rect-recheck-note').locator('textarea').fill('绿化带内仍有烟头');
    const dueLocal = await page.evaluate(() => {
      const d = new Date(Date.now() + 5 * 86400000);
      const p = (n) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T09:30`;
    });
    await page.getByTestId('rect-recheck-due').fill(dueLocal);
    await page.getByTestId('rect-recheck-submit').click();
    await page.getByTestId('rect-state').getByText('待整改').waitFor();
    await page.getByTestId('rect-history-failed').getByText('绿化带内仍有烟头').waitFor();
    await page.getByTestId('rect-head').getByText('第 2 轮').waitFor();
    const back = (await api(base, 'GET', `/rectifications/${own.id}`, admin)).json;
    const wantDue = await page.evaluate((v) => new Date(v).getTime(), dueLocal);
    if (back.state !== 'open' || back.rounds !== 2 || Date.parse(back.due_at) !== wantDue || back.check_note !== '绿化带内仍有烟头') {
      throw new Error('after 不通过: ' + JSON.stringify({ state: back.state, rounds: back.rounds, due_at: back.due_at, want: new Date(wantDue).toISOString() }));
    }

    // --- The first inspector re-checks ours: 通过 ---
    await page.goto(base + '/w/');
    await page.getByTestId('tab-rect').click();
    await page.waitForURL('**/w/rectifications');
    await page.getByTestId(`staff-rect-${rid}`).click(); // 待复检 is the inspector's first tab
    await page.waitForURL(`**/w/rectifications/${rid}`);
    await page.getByTestId('rect-history-submitted').locator('img').first().waitFor();
    await page.getByTestId('rect-recheck-pass').click();
    await page.getByTestId('rect-recheck-note').locator('textarea').fill('现场复查扶手洁净，记录齐全');
    await page.getByTestId('rect-recheck-submit').click();
    await page.getByTestId('rect-state').getByText('已通过').waitFor();
    await page.getByTestId('rect-closed').waitFor();
    await page.getByTestId('rect-history-passed').getByText('现场复查扶手洁净').waitFor();
    await page.screenshot({ path: join(OUT, 'staff-rectification-passed.png'), fullPage: true });
    const fin = (await api(base, 'GET', `/rectifications/${rid}`, admin)).json;
    if (fin.state !== 'passed' || fin.checked_by !== q1.id || fin.check_note !== '现场复查扶手洁净，记录齐全' || fin.rounds !== 1) {
      throw new Error('after recheck: ' + JSON.stringify(fin));
    }
    await ins.ctx.close();
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  });

  test('staff: a spot check (管理层巡检) shows the manager the three buildings the server drew [staff_inspections]', async ({ browser, server }) => {
    const base = server.base;
    const { admin, proj, manager, s1, post } = await setup(base);
    const errors = [];
    const plan = await post('/plans', {
      project_id: proj.id, kind: 'inspection', level: 'spot', title: '经理月度抽查', rrule: 'FREQ=DAILY',
      dtstart: rfc3339(Date.now() - 600 * 1000), window_minutes: 600, assign: { staff_id: manager.id },
      checklist: [{ key: 'lobby', label: '大堂整洁', type: 'check', standard_id: s1.id }],
    });
    const t = (await api(base, 'GET', `/tasks?plan_id=${plan.id}&state=scheduled&limit=5`, admin)).json.items
      .find((x) => Date.parse(x.starts_at) <= Date.now());
    if (!t) throw new Error('no open spot-check task');
    const drawn = (await api(base, 'GET', `/tasks/${t.id}`, admin)).json.buildings;
    if (!Array.isArray(drawn) || drawn.length !== 3) throw new Error('drawn: ' + JSON.stringify(drawn));
    const m = await phoneLogin(browser, base, manager.username, errors);
    await m.page.getByTestId('tab-rect').waitFor(); // a manager re-checks: 整改 is his too
    await m.page.getByTestId(`staff-task-${t.id}`).click();
    await m.page.waitForURL(`**/w/tasks/${t.id}`);
    const box = m.page.getByTestId('inspection-buildings');
    for (const b of drawn) await box.getByTestId(`inspection-building-${b.id}`).getByText(b.name).waitFor();
    if ((await box.locator('[data-testid^=inspection-building-]').count()) !== 3) throw new Error('not three buildings shown');
    await m.page.getByTestId('inspection-step').getByText('第 1/1 项').waitFor();
    await m.page.screenshot({ path: join(OUT, 'staff-inspection-spot.png'), fullPage: true });
    await m.ctx.close();
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  });
}
