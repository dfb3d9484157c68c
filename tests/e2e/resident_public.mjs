// tests/e2e/resident_public.mjs: the resident's phone page, the public
// disclosure page, and the console's organisation import and settings
//. Registered by run.mjs; each test saves a screenshot in OUT.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESK = { viewport: { width: 1366, height: 768 } };
const RESIDENT_PW = 'Resident-e2e-2026';

// A real (tiny) PNG: the server checks uploads by their content.
function png(w = 48, h = 32) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw[y * (w * 3 + 1) + 1 + x * 3 + 2] = 200;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// "2026-11-25T18:00:00+08:00" → "11月25日 18:00" as the phone page words it.
function promised(due) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(due);
  const year = Number(m[1]) === new Date().getFullYear() ? '' : `${Number(m[1])}年`;
  return `${year}${Number(m[2])}月${Number(m[3])}日 ${m[4]}:${m[5]}`;
}

// Element Plus fades dialogs out; a screenshot waits until none is left.
async function dialogsGone(page) {
  await page.waitForFunction(() => ![...document.querySelectorAll('.el-overlay')].some((o) => getComputedStyle(o).display !== 'none'));
}

function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (msg) => {
    // A failed request is reported by the page itself; only script errors count.
    const text = msg.text();
    if (msg.type() !== 'error' || /Failed to load resource/.test(text)) return;
    errors.push(text);
  });
  return () => {
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  };
}

export default function register(test, { api, ADMIN_PW, OUT, root }) {
  const require = createRequire(join(root, 'web', 'package.json'));
  const state = {};

  async function admin(server) {
    if (!state.admin) {
      const r = await api(server.base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW });
      state.admin = r.json.token;
    }
    return state.admin;
  }

  async function consoleLogin(browser, server, path) {
    const page = await browser.newPage(DESK);
    const check = watchErrors(page);
    await page.goto(server.base + '/login');
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(ADMIN_PW);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('shell-username').waitFor();
    await page.goto(server.base + path);
    return { page, check };
  }

  // A resident of project 2 that no other test uses, with a known password.
  async function resident(server) {
    if (!state.resident) {
      const token = await admin(server);
      const list = (await api(server.base, 'GET', '/projects/2/residents?limit=5&active=1', token)).json.items;
      const r = list.find((x) => x.room_ids.length === 1) || list[0];
      const set = await api(server.base, 'POST', `/residents/${r.id}/password`, token, { password: RESIDENT_PW });
      if (set.status !== 204) throw new Error('set password: ' + JSON.stringify(set.json));
      state.resident = r;
    }
    return state.resident;
  }

  test('resident: files a repair with a photo and sees the promised time', async ({ browser, server }) => {
    const r = await resident(server);
    const page = await browser.newPage(PHONE);
    const check = watchErrors(page);
    await page.goto(server.base + '/m/');
    await page.waitForURL('**/m/login**');
    await page.getByRole('tab', { name: '密码登录' }).click();
    await page.locator('#resident-phone').fill(r.phone);
    await page.locator('#resident-password').fill(RESIDENT_PW);
    await page.getByTestId('resident-submit').click();
    await page.getByTestId('resident-name').waitFor();
    if (!(await page.getByTestId('resident-name').textContent()).includes(r.name)) throw new Error('home does not greet ' + r.name);

    await page.getByTestId('quick-repair').click();
    await page.waitForURL('**/m/report?kind=repair');
    await page.getByTestId('report-category').click();
    const cascader = page.locator('.van-cascader');
    await cascader.getByText('水电', { exact: true }).click();
    await cascader.getByText('漏水', { exact: true }).click();
    await page.getByTestId('report-description').locator('textarea').fill('厨房水槽下水管漏水，地面有积水');
    const uploaded = page.waitForResponse((res) => res.url().endsWith('/api/v1/files') && res.request().method() === 'POST');
    await page.getByTestId('report-photos').locator('input[type=file]').setInputFiles({ name: 'leak.png', mimeType: 'image/png', buffer: png() });
    const up = await uploaded;
    if (up.status() !== 201) throw new Error('photo upload answered ' + up.status());
    await page.locator('.van-uploader__mask').waitFor({ state: 'detached' }).catch(() => {});
    await page.screenshot({ path: join(OUT, 'resident-report.png') });
    await page.getByTestId('report-submit').click();
    await page.waitForURL(/\/m\/tickets\/\d+$/);
    const id = Number(/\/m\/tickets\/(\d+)$/.exec(page.url())[1]);
    state.ticketId = id;

    // The promise on the page is the one the server computed.
    const token = await admin(server);
    const tk = (await api(server.base, 'GET', `/tickets/${id}`, token)).json;
    if (tk.kind !== 'repair' || tk.resident_id !== r.id || tk.photos.length !== 1) throw new Error('ticket as stored: ' + JSON.stringify(tk));
    const resolve = tk.sla.find((s) => s.milestone === 'resolve');
    const words = `承诺 ${promised(resolve.due_at)} 前修复`;
    await page.getByTestId('ticket-promises').getByText(words).waitFor();
    // the photo is shown to its resident
    await page.getByTestId('ticket-photos').locator('img').first().waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid=ticket-photos] img');
      return img && img.complete && img.naturalWidth > 0;
    });
    await page.getByTestId('ticket-timeline').getByText('提交工单').waitFor();
    await page.screenshot({ path: join(OUT, 'resident-ticket.png'), fullPage: true });

    // ... and in "my tickets", with the same promise.
    await page.goto(server.base + '/m/tickets');
    const card = page.getByTestId('ticket-card').filter({ hasText: tk.no });
    await card.getByTestId('ticket-promise').getByText(words).waitFor();
    await page.screenshot({ path: join(OUT, 'resident-tickets.png') });
    check();
    await page.close();
  });

  test('resident: rates a ticket the staff resolved', async ({ browser, server }) => {
    const r = await resident(server);
    const token = await admin(server);
    let id = state.ticketId;
    if (!id) throw new Error('needs the ticket of the previous test');
    for (const [action, body] of [['accept'], ['assign', {}], ['arrive'], ['resolve', { resolution: '已更换下水管接头，试水无渗漏' }]]) {
      const res = await api(server.base, 'POST', `/tickets/${id}/actions/${action}`, token, body);
      if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.json)}`);
    }
    const page = await browser.newPage(PHONE);
    const check = watchErrors(page);
    await page.goto(server.base + '/m/login');
    await page.getByRole('tab', { name: '密码登录' }).click();
    await page.locator('#resident-phone').fill(r.phone);
    await page.locator('#resident-password').fill(RESIDENT_PW);
    await page.getByTestId('resident-submit').click();
    await page.getByTestId('resident-name').waitFor();
    await page.goto(server.base + `/m/tickets/${id}`);
    await page.getByTestId('ticket-status').getByText('已解决').first().waitFor();
    await page.getByText('已更换下水管接头，试水无渗漏').first().waitFor();
    await page.getByTestId('dispute-open').waitFor(); // within the 7 days
    await page.getByTestId('rate-stars').locator('.van-rate__item').nth(4).click();
    await page.getByTestId('rate-comment').locator('textarea').fill('师傅很专业，半小时就修好了');
    await page.getByTestId('rate-submit').click();
    await page.getByTestId('rate-box').getByText('感谢您的评价').waitFor();
    const tk = (await api(server.base, 'GET', `/tickets/${id}`, token)).json;
    if (tk.rating !== 5 || tk.rating_comment !== '师傅很专业，半小时就修好了') throw new Error('rating stored: ' + tk.rating + ' ' + tk.rating_comment);
    await page.getByTestId('ticket-timeline').getByText('提交评价').waitFor();
    await page.screenshot({ path: join(OUT, 'resident-rated.png'), fullPage: true });
    check();
    await page.close();
  });

  test('public: /p/{code} shows the figures and no personal data', async ({ browser, server }) => {
    const token = await admin(server);
    const project = (await api(server.base, 'GET', '/projects/2', token)).json;
    const pub = await api(server.base, 'GET', `/public/projects/${encodeURIComponent(project.code)}/disclosure`, null);
    if (pub.status !== 200) throw new Error(`GET /public/projects/${project.code}/disclosure answered ${pub.status}`);
    const page = await browser.newPage(PHONE);
    const check = watchErrors(page);
    await page.goto(server.base + `/p/${project.code}`);
    await page.getByTestId('disclosure-kpis').waitFor();
    const title = await page.getByTestId('disclosure-project').textContent();
    if (!title.includes(pub.json.project.name)) throw new Error('title ' + title);
    const tickets = (await page.getByTestId('kpi-tickets').textContent()).trim();
    const want = pub.json.kpi.tickets === null || pub.json.kpi.tickets === undefined ? '暂无数据' : String(pub.json.kpi.tickets);
    if (!tickets.startsWith(want)) throw new Error(`tickets figure ${tickets}, API ${want}`);
    for (const c of pub.json.complaints_by_category || []) {
      await page.getByTestId('disclosure-complaints').getByText(c.category, { exact: true }).waitFor();
    }
    for (const p of pub.json.promises || []) await page.getByTestId('disclosure-promises').getByText(p.text).waitFor();
    for (const it of pub.json.service_items || []) await page.getByTestId('disclosure-items').getByText(it.name, { exact: true }).first().waitFor();
    // the service standards of the project's level, by department (电梯轿厢消毒 under 环境保洁)
    const stds = (await api(server.base, 'GET', `/public/projects/${encodeURIComponent(project.code)}/standards`, null)).json;
    await page.getByTestId('disclosure-standards').getByText(`共 ${stds.items.length} 项`).waitFor();
    await page.getByTestId('disclosure-standards').getByText('环境保洁').click();
    await page.getByTestId('disclosure-standards').getByText('BJ-03 电梯轿厢消毒').waitFor();

    // Nobody's name or phone number, neither on the page nor in what it loaded.
    const people = [];
    for (const path of ['/projects/2/residents', '/staff']) {
      let cursor = null;
      do {
        const res = (await api(server.base, 'GET', `${path}?limit=200${cursor ? '&cursor=' + cursor : ''}`, token)).json;
        people.push(...res.items);
        cursor = res.next_cursor;
      } while (cursor);
    }
    const text = await page.evaluate(() => document.body.innerText);
    const raw = JSON.stringify(pub.json);
    for (const p of people) {
      for (const v of [p.phone, p.name]) {
        if (!v || v.length < 2) continue;
        if (text.includes(v) || raw.includes(v)) throw new Error(`the public page shows ${v}`);
      }
    }
    await page.screenshot({ path: join(OUT, 'public-disclosure.png'), fullPage: true });
    check();
    await page.close();
  });

  test('settings: an admin edits an SLA policy and marks a calendar day', async ({ browser, server }) => {
    const token = await admin(server);
    const policies = (await api(server.base, 'GET', '/sla-policies', token)).json.items;
    const policy = policies.find((p) => p.kind === 'repair' && p.priority === 'normal' && !p.project_id && !p.category);
    const before = policy.milestones.find((m) => m.milestone === 'resolve');
    const { page, check } = await consoleLogin(browser, server, '/settings/sla');
    await page.getByTestId(`sla-edit-${policy.id}`).click();
    const amount = page.getByTestId('sla-amount-resolve').locator('input');
    await amount.fill('12');
    await amount.press('Tab');
    await page.getByTestId('sla-save').click();
    await page.getByText('策略已保存').waitFor();
    await page.getByTestId(`sla-${policy.id}-resolve`).getByText('12 小时').waitFor();
    await dialogsGone(page);
    await page.screenshot({ path: join(OUT, 'settings-sla.png') });
    const after = (await api(server.base, 'GET', `/sla-policies/${policy.id}`, token)).json;
    const m = after.milestones.find((x) => x.milestone === 'resolve');
    if (m.amount !== 12 || m.unit !== before.unit) throw new Error('policy stored: ' + JSON.stringify(after.milestones));
    await api(server.base, 'PATCH', `/sla-policies/${policy.id}`, token, { milestones: policy.milestones });

    // A weekday of this month that the official calendar leaves alone.
    const now = new Date();
    const y = now.getFullYear();
    const cal = (await api(server.base, 'GET', `/calendars/1?year=${y}`, token)).json;
    const special = new Set(cal.days.map((d) => d.date));
    let date = null;
    for (let d = 28; d >= 1 && !date; d--) {
      const s = `${y}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      const w = new Date(`${s}T00:00:00Z`).getUTCDay();
      if (w !== 0 && w !== 6 && !special.has(s)) date = s;
    }
    await page.goto(server.base + '/settings/calendar');
    await page.getByTestId(`cal-day-${date}`).click();
    await page.getByTestId('cal-kind-holiday').click();
    await page.getByTestId('cal-name').fill('公司年会');
    await page.getByTestId('cal-save').click();
    await page.getByTestId(`cal-day-${date}`).getByText('休').waitFor();
    await page.getByTestId(`cal-day-${date}`).getByText('公司年会').waitFor();
    await dialogsGone(page);
    await page.screenshot({ path: join(OUT, 'settings-calendar.png') });
    const got = (await api(server.base, 'GET', `/calendars/1?year=${y}`, token)).json.days.find((d) => d.date === date);
    if (!got || got.kind !== 'holiday' || !got.manual || got.name !== '公司年会') throw new Error('calendar day stored: ' + JSON.stringify(got));
    // back to the official calendar, through the page
    await page.getByTestId(`cal-day-${date}`).click();
    await page.getByTestId('cal-drop').click();
    await page.getByTestId(`cal-day-${date}`).getByText('公司年会').waitFor({ state: 'detached' });
    const gone = (await api(server.base, 'GET', `/calendars/1?year=${y}`, token)).json.days.find((d) => d.date === date);
    if (gone) throw new Error('override still there: ' + JSON.stringify(gone));

    // An .ics file is read in the page and each of its days is sent.
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', `DTSTART;VALUE=DATE:${y}1230`,
      `DTEND;VALUE=DATE:${y + 1}0101`, 'SUMMARY:年终盘点（休）', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    await page.getByTestId('cal-import').click();
    await page.getByTestId('cal-ics-file').setInputFiles({ name: 'days.ics', mimeType: 'text/calendar', buffer: Buffer.from(ics) });
    await page.getByTestId('cal-ics-run').click();
    await page.getByText('导入完成：成功 2 天，失败 0 天').waitFor();
    const imported = (await api(server.base, 'GET', `/calendars/1?year=${y}`, token)).json.days.filter((d) => d.date >= `${y}-12-30`);
    if (imported.map((d) => `${d.date} ${d.kind} ${d.name} ${d.manual}`).join('; ') !== `${y}-12-30 holiday 年终盘点 true; ${y}-12-31 holiday 年终盘点 true`) {
      throw new Error('imported days: ' + JSON.stringify(imported));
    }
    for (const d of imported) await api(server.base, 'DELETE', `/calendars/1/days/${d.date}`, token);
    check();
    await page.close();
  });

  test('org: an Excel import creates rooms and shows the bad row', async ({ browser, server }) => {
    const token = await admin(server);
    const b = (await api(server.base, 'GET', '/projects/2/buildings?limit=1', token)).json.items[0];
    const writeExcelFile = require('write-excel-file/node').default || require('write-excel-file/node');
    const { readSheet } = require('read-excel-file/node');
    const sheet = [
      ['楼栋', '单元', '楼层', '房号', '面积'],
      [b.name, 'E2E单元', 1, 'E101', 88.5],
      [b.name, 'E2E单元', 2, 'E201', 90],
      [b.name, 'E2E单元', b.floors + 5, 'E9901', 70], // above the building's top floor
      ['E2E新楼', '1单元', 3, '301', 101.2], // a building the import creates
    ];
    const file = join(OUT, 'import-rooms.xlsx');
    writeFileSync(file, await writeExcelFile(sheet).toBuffer());

    const { page, check } = await consoleLogin(browser, server, '/org/import?project=2');
    // the template downloads and reads back with the expected header
    const dl = page.waitForEvent('download');
    await page.getByTestId('import-template').click();
    const tpl = join(OUT, 'import-template.xlsx');
    await (await dl).saveAs(tpl);
    const header = (await readSheet(tpl))[0];
    if (header.join(',') !== '楼栋,单元,楼层,房号,面积') throw new Error('template header ' + header);

    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-rows').getByText('E9901').waitFor();
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-summary').getByText('成功 3 行，失败 1 行').waitFor({ timeout: 20000 });
    const bad = await page.getByTestId('import-row-4').textContent();
    if (!bad.includes('失败') || !bad.includes('楼层')) throw new Error('bad row shows: ' + bad);
    for (const line of [2, 3, 5]) {
      const ok = await page.getByTestId(`import-row-${line}`).textContent();
      if (!ok.includes('成功')) throw new Error(`row ${line} shows: ${ok}`);
    }
    await page.screenshot({ path: join(OUT, 'org-import.png') });
    const rooms = (await api(server.base, 'GET', `/projects/2/rooms?building_id=${b.id}&unit=${encodeURIComponent('E2E单元')}`, token)).json.items;
    const numbers = rooms.map((x) => x.number).sort().join(',');
    if (numbers !== 'E101,E201') throw new Error('rooms created: ' + numbers);
    const nb = (await api(server.base, 'GET', `/projects/2/buildings?q=${encodeURIComponent('E2E新楼')}`, token)).json.items;
    if (nb.length !== 1 || nb[0].floors !== 3) throw new Error('new building: ' + JSON.stringify(nb));

    // and the rooms tab lists them
    await page.goto(server.base + `/org/rooms?project=2&building=${b.id}`);
    await page.getByTestId('rooms-q').fill('E101');
    await page.getByTestId('rooms-q').press('Enter');
    await page.getByTestId('rooms-table').getByText('E2E单元').first().waitFor();
    await page.screenshot({ path: join(OUT, 'org-rooms.png') });
    check();
    await page.close();
  });
}
