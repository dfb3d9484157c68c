// tests/e2e/console_tickets.mjs: the staff console's work-order screens in a
// real browser (loaded by run.mjs). One phone call from intake to resolution:
//   a desk user files the repair in 来电登记 (caller found by phone, category,
//   back-dated call time, a photo); a dispatcher accepts and assigns it on the
//   detail page with the eligible-staff picker; the technician, on a
//   phone-width window, finds it in 我的工单, arrives and resolves; the
//   dispatcher's dashboard counts change. Plus the first-load JavaScript size.
import { gzipSync, deflateSync, crc32 } from 'node:zlib';
import { join } from 'node:path';

const PW = 'e2e-Staff-2026!';

// A small valid PNG (a blue-to-orange gradient), built from its chunks.
function png(w = 64, h = 48) {
  const chunk = (kind, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(kind, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) row.set([37 + (x * 3) % 200, 99 + y, 235 - x * 2], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function pad(n) {
  return String(n).padStart(2, '0');
}
// "YYYY-MM-DD HH:mm:ss" in the browser's (= this machine's) local time.
function localStamp(d) {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

async function login(page, base, username, password) {
  await page.goto(base + '/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

// The number a dashboard card shows, once the stats have loaded.
async function statValue(page, key) {
  const el = page.getByTestId(`stat-${key}`).getByTestId('stat-value');
  await page.waitForFunction((node) => /^\d+$/.test(node.textContent.trim()), await el.elementHandle(), { timeout: 15000 });
  return Number((await el.textContent()).trim());
}

// Waits until a dashboard card shows `want`: first for the live update (the
// stream), then after pressing 刷新, so a slow stream cannot fail the test.
async function waitStat(page, key, want) {
  const el = page.getByTestId(`stat-${key}`).getByTestId('stat-value');
  for (let round = 0; round < 2; round++) {
    try {
      await page.waitForFunction(
        ({ node, v }) => node.textContent.trim() === String(v),
        { node: await el.elementHandle(), v: want },
        { timeout: 12000 },
      );
      return;
    } catch {
      await page.getByRole('button', { name: '刷新' }).click();
    }
  }
  throw new Error(`dashboard ${key} shows ${(await el.textContent()).trim()}, expected ${want}`);
}

export default function register(test, { api, OUT, ADMIN_PW }) {
  test('console: desk intake → dispatch → technician resolves on a phone → dashboard counts', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const projects = (await api(base, 'GET', '/projects?limit=50', admin)).json.items;
    const proj = projects.find((p) => p.code === 'JXHT');
    if (!proj) throw new Error('demo project JXHT missing');

    // Staff for the story, created through the API like an administrator would.
    const suffix = Date.now().toString(36).slice(-5);
    const mk = async (role, name, extra = {}) => {
      const r = await api(base, 'POST', '/staff', admin, {
        username: `e2e_${role}_${suffix}`, password: PW, name, role, project_ids: [proj.id], ...extra,
      });
      if (r.status !== 201) throw new Error(`create ${role}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    };
    const desk = await mk('desk', '客服小周', { department: '客服' });
    const boss = await mk('manager', '调度王经理', { department: '管理' });
    const tech = await mk('technician', '维修李师傅', { department: '工程', skills: ['水工', '电工'], on_duty: true });

    // A caller: a resident of the project who lives in exactly one room.
    const residents = (await api(base, 'GET', `/projects/${proj.id}/residents?limit=50&active=1`, admin)).json.items;
    const caller = residents.find((r) => r.room_ids.length === 1);
    if (!caller) throw new Error('no resident with one room');
    const callerRoom = (await api(base, 'GET', `/rooms/${caller.room_ids[0]}`, admin)).json;

    // The dashboard's figures come from GET /stats/tickets; without it the
    // rest of the story still runs, and the test fails at the end.
    const statsUp = (await api(base, 'GET', `/stats/tickets?project_id=${proj.id}`, admin)).status === 200;

    const errors = [];
    const watch = (page, who) => page.on('pageerror', (e) => errors.push(`${who}: ${e}`));

    // --- The dispatcher's dashboard before the call ---
    const bossPage = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    watch(bossPage, 'dispatcher');
    await login(bossPage, base, boss.username, PW);
    await bossPage.getByTestId('stat-created').waitFor();
    const created0 = statsUp ? await statValue(bossPage, 'created') : 0;
    const resolved0 = statsUp ? await statValue(bossPage, 'resolved') : 0;

    // --- 1. The desk takes the call ---
    const deskPage = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    watch(deskPage, 'desk');
    await login(deskPage, base, desk.username, PW);
    await deskPage.getByTestId('menu-intake').click();
    await deskPage.waitForURL('**/intake');
    const phone = deskPage.getByTestId('intake-phone');
    await phone.fill(caller.phone);
    await phone.press('Enter');
    const picked = deskPage.getByTestId('intake-room-picked');
    await picked.waitFor();
    const pickedText = await picked.textContent();
    if (!pickedText.includes(callerRoom.number)) throw new Error(`room picked: ${pickedText}, want ${callerRoom.number}`);
    // category: 水电 → 漏水 in the cascader
    await deskPage.getByTestId('intake-category').click();
    await deskPage.locator('.el-cascader-node', { hasText: '水电' }).first().click();
    await deskPage.locator('.el-cascader-node', { hasText: '漏水' }).first().click();
    const title = `厨房水管漏水 e2e-${suffix}`;
    await deskPage.getByTestId('intake-title').fill(title);
    await deskPage.getByTestId('intake-description').fill('业主来电：厨房水槽下方水管接口滴水，地面有积水。');
    // The call came in a few minutes before it was typed in: back-date it.
    const calledAt = new Date(Date.now() - 4 * 60000);
    calledAt.setMilliseconds(0);
    const when = deskPage.getByTestId('intake-reported-at').locator('input');
    await when.click();
    await when.fill(localStamp(calledAt));
    await when.press('Enter');
    await deskPage.keyboard.press('Escape');
    // a photo of the leak
    await deskPage.getByTestId('intake-photos').locator('input[type=file]').setInputFiles({ name: 'leak.png', mimeType: 'image/png', buffer: png() });
    await deskPage.locator('.el-upload-list__item.is-success').waitFor();
    await deskPage.getByTestId('intake-submit').click();
    const noEl = deskPage.getByTestId('intake-saved-no');
    await noEl.waitFor();
    const no = (await noEl.textContent()).trim();
    if (!/^BX-\d{8}-\d{4}$/.test(no)) throw new Error('ticket number shown: ' + no);
    await deskPage.screenshot({ path: join(OUT, 'console-intake-saved.png') });

    // What the server stored is what the desk typed.
    const found = (await api(base, 'GET', `/tickets?project_id=${proj.id}&q=${encodeURIComponent(`e2e-${suffix}`)}`, admin)).json.items;
    if (found.length !== 1 || found[0].no !== no) throw new Error('search for the new ticket: ' + JSON.stringify(found));
    const tk = (await api(base, 'GET', `/tickets/${found[0].id}`, admin)).json;
    const problems = [];
    if (tk.room_id !== callerRoom.id) problems.push('room ' + tk.room_id);
    if (tk.resident_id !== caller.id) problems.push('resident ' + tk.resident_id);
    if (tk.category !== '水电/漏水') problems.push('category ' + tk.category);
    if (tk.channel !== 'phone' || tk.kind !== 'repair' || tk.status !== 'new') problems.push(`${tk.channel}/${tk.kind}/${tk.status}`);
    if (tk.photos.length !== 1) problems.push('photos ' + tk.photos.length);
    if (Math.abs(Date.parse(tk.reported_at) - calledAt.getTime()) > 1000) problems.push(`reported_at ${tk.reported_at} vs ${calledAt.toISOString()}`);
    if (tk.created_by !== desk.id) problems.push('created_by ' + tk.created_by);
    if (problems.length) throw new Error('stored ticket differs: ' + problems.join('; '));

    // The dispatcher's dashboard counts the new ticket.
    if (statsUp) await waitStat(bossPage, 'created', created0 + 1);

    // --- 2. The dispatcher accepts and assigns it on the detail page ---
    await bossPage.goto(base + `/tickets?q=${encodeURIComponent(`e2e-${suffix}`)}`);
    const row = bossPage.getByTestId('queue-table').getByText(no);
    await row.waitFor();
    await row.click();
    await bossPage.waitForURL(`**/tickets/${tk.id}`);
    await bossPage.getByTestId('ticket-photos').locator('img').first().waitFor();
    await bossPage.getByTestId('action-accept').click();
    await bossPage.getByTestId('action-submit').click();
    await bossPage.getByTestId('ticket-status').getByText('已受理').waitFor();
    await bossPage.getByTestId('action-assign').click();
    const cand = bossPage.getByTestId(`candidate-${tech.id}`);
    await cand.waitFor();
    if (!(await cand.textContent()).includes('维修李师傅')) throw new Error('picker shows ' + (await cand.textContent()));
    await cand.click();
    await bossPage.getByTestId('action-submit').click();
    await bossPage.getByTestId('ticket-status').getByText('已派单').waitFor();
    await bossPage.getByTestId('ticket-assignee').getByText('维修李师傅').waitFor();
    await bossPage.screenshot({ path: join(OUT, 'console-ticket-assigned.png') });

    // --- 3. The technician, on a phone-width window ---
    const techCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const techPage = await techCtx.newPage();
    watch(techPage, 'technician');
    await login(techPage, base, tech.username, PW);
    // the assignment reached the bell
    await techPage.getByTestId('notify-count').locator('sup').filter({ hasText: /^[1-9]/ }).waitFor({ timeout: 15000 });
    await techPage.getByTestId('menu-toggle').click();
    await techPage.getByTestId('menu-my-tickets').click();
    await techPage.waitForURL('**/my-tickets');
    const card = techPage.getByTestId(`ticket-card-${no}`);
    await card.waitFor();
    await card.click();
    await techPage.waitForURL(`**/tickets/${tk.id}`);
    await techPage.getByTestId('sla-panel').waitFor();
    await techPage.getByTestId('action-arrive').click();
    await techPage.getByTestId('action-submit').click();
    await techPage.getByTestId('ticket-status').getByText('处理中').waitFor();
    await techPage.getByTestId('action-resolve').click();
    await techPage.getByTestId('form-resolution').fill('更换水管接口密封圈，试水无渗漏，地面已清理。');
    await techPage.getByTestId('action-submit').click();
    await techPage.getByTestId('ticket-status').getByText('已解决').waitFor();
    // the page fits the phone: nothing wider than the viewport
    const overflow = await techPage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 2) throw new Error(`detail page is ${overflow}px wider than the phone`);
    await techPage.screenshot({ path: join(OUT, 'console-technician-resolved.png'), fullPage: true });
    const done = (await api(base, 'GET', `/tickets/${tk.id}`, admin)).json;
    if (done.status !== 'resolved' || done.assignee_id !== tech.id || !done.arrived_at) {
      throw new Error(`after the technician: ${done.status}, assignee ${done.assignee_id}, arrived ${done.arrived_at}`);
    }

    // --- 4. The dashboard follows ---
    await bossPage.goto(base + '/');
    await bossPage.getByTestId('stat-created').waitFor();
    if (statsUp) {
      await waitStat(bossPage, 'resolved', resolved0 + 1);
      await waitStat(bossPage, 'created', created0 + 1);
    }
    await bossPage.screenshot({ path: join(OUT, 'console-dashboard.png'), fullPage: true });

    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
    await techCtx.close();
    await deskPage.close();
    await bossPage.close();
    if (!statsUp) throw new Error('GET /api/v1/stats/tickets is missing (404): the dashboard counts were not checked');
  });

  test('console: a stale action is refused in Chinese words (409)', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const proj = (await api(base, 'GET', '/projects?limit=50', admin)).json.items.find((p) => p.code === 'JXHT');
    const act = async (id, action, body) => {
      const r = await api(base, 'POST', `/tickets/${id}/actions/${action}`, admin, body);
      if (r.status !== 200) throw new Error(`${action}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    };
    const created = await api(base, 'POST', '/tickets', admin, {
      project_id: proj.id, kind: 'repair', category: '水电/停电', title: '走廊灯不亮 e2e-409', channel: 'phone',
    });
    if (created.status !== 201) throw new Error('create: ' + JSON.stringify(created.json));
    const id = created.json.id;
    await act(id, 'accept');

    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    // No live stream here: the page must keep its stale state.
    await page.route('**/api/v1/stream', (route) => route.abort());
    await login(page, base, 'admin', ADMIN_PW);
    await page.goto(base + `/tickets/${id}`);
    await page.getByTestId('ticket-status').getByText('已受理').waitFor();

    // 1. Someone else comments meanwhile (same state, new version): 挂起 is refused as a conflict.
    await act(id, 'comment', { text: '业主说晚上在家' });
    await page.getByTestId('action-hold').click();
    await page.getByTestId('form-reason').fill('等待配件');
    await page.getByTestId('action-submit').click();
    await page.getByTestId('action-error').getByText('工单刚被他人更新，已刷新为最新内容，请确认后重试').waitFor();
    await page.keyboard.press('Escape');

    // 2. Meanwhile it is assigned, started and put on hold elsewhere; the page
    //    (reloaded after the conflict) still offers 派单, which no longer fits.
    const cands = (await api(base, 'GET', `/tickets/${id}/candidates`, admin)).json.items;
    if (!cands.length) throw new Error('no candidates for 水电/停电');
    await act(id, 'assign', { assignee_id: cands[0].id });
    await act(id, 'arrive');
    await act(id, 'hold', { reason: '等待配件' });
    await page.getByTestId('action-assign').click();
    await page.getByTestId(`candidate-${cands[0].id}`).click();
    await page.getByTestId('action-submit').click();
    await page.getByTestId('action-error').getByText('工单当前状态为「挂起」，不能派单').waitFor();
    await page.screenshot({ path: join(OUT, 'console-409.png') });
    await page.close();
  });

  test('console: first route JavaScript is under 400 KB gzip', async ({ browser, server }) => {
    // A fresh tab that is already logged in (cookie + the tab's CSRF token),
    // opening 工作台 directly: everything it downloads is the first route.
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const r = await ctx.request.post(server.base + '/api/v1/auth/login', { data: { username: 'admin', password: ADMIN_PW } });
    const csrf = (await r.json()).csrf_token;
    await ctx.addInitScript((tok) => window.sessionStorage.setItem('anju.csrf_token', tok), csrf);
    const page = await ctx.newPage();
    const js = new Map();
    page.on('response', (res) => {
      if (res.url().endsWith('.js') && res.ok()) js.set(res.url(), res.body().catch(() => Buffer.alloc(0)));
    });
    await page.goto(server.base + '/');
    await page.getByTestId('stat-created').waitFor();
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500); // let the lazy chart chunk start if the stats have data
    await page.waitForLoadState('networkidle');
    let total = 0;
    const charts = [...js.keys()].some((u) => /EChart-/.test(u));
    for (const body of js.values()) total += gzipSync(await body, { level: 9 }).length;
    await ctx.close();
    const kb = total / 1024;
    console.log(`     first route 工作台: ${js.size} JS files, ${kb.toFixed(1)} KB gzip${charts ? ' (charts included)' : ' (no chart data, charts not loaded)'}`);
    if (kb >= 400) throw new Error(`first route JS is ${kb.toFixed(1)} KB gzip`);
  });
}
