// tests/e2e/staff_tasks.mjs: scheduled work in the browser (loaded by run.mjs).
// As admin through the API, a daily PM plan for a demo technician (check,
// number and photo items, an open task now). On a 390×844 phone the
// technician logs in at /w/, finds the task in 我的任务, answers item by item
// (the brake abnormal with 问题描述 + 处理措施, the oil level inside its range, a
// photo), sees each saved — still there after a reload —, finishes and sees
// "已生成工单"; the ticket opens on the phone, and a QR photo of the task's URL
// opens it from 扫码. Through the API the abnormal result carries a ticket of
// channel inspection. In the console 维保计划 shows the plan "每天" and 任务
// shows the task done, with the ticket link and the photo in its drawer.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The password `anju demo` gives its staff (cli/cmd_demo.c).
const DEMO_PW = process.env.ANJU_DEMO_PASSWORD || 'anju2026';

// A 1×1 PNG, a real image as POST /files requires.
const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==',
  'base64',
);

// A PNG of the QR code of `text`, made with libqrencode (the library the
// equipment labels use) through Python's ctypes: 8 px modules, 4 of margin.
export function qrPng(text) {
  const py = String.raw`
import ctypes, struct, sys, zlib
class QR(ctypes.Structure):
    _fields_ = [("version", ctypes.c_int), ("width", ctypes.c_int), ("data", ctypes.POINTER(ctypes.c_ubyte))]
lib = ctypes.CDLL("libqrencode.so.4")
lib.QRcode_encodeString.restype = ctypes.POINTER(QR)
q = lib.QRcode_encodeString(sys.argv[1].encode(), 0, 1, 2, 1).contents
n, s, m = q.width, 8, 4
side = (n + 2 * m) * s
rows = []
for y in range(side):
    my = y // s - m
    row = bytearray([0])
    for x in range(side):
        mx = x // s - m
        dark = 0 <= mx < n and 0 <= my < n and q.data[my * n + mx] & 1
        row.append(0 if dark else 255)
    rows.append(bytes(row))
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")
sys.stdout.buffer.write(png)
`;
  const r = spawnSync('python3', ['-c', py, text], { maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error('qr png: ' + r.stderr);
  return r.stdout;
}

function rfc3339(ms) {
  // UTC with an explicit offset: the server takes any RFC 3339 time.
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export default function register(test, { api, OUT, ADMIN_PW }) {
  test('staff: a technician answers a PM task on the phone (/w/) with a photo, an abnormal item opens a ticket; the console shows the plan and the task', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const proj = (await api(base, 'GET', '/projects?limit=50', admin)).json.items.find((p) => p.code === 'JXHT');
    if (!proj) throw new Error('demo project JXHT missing');
    const techs = (await api(base, 'GET', `/staff?project_id=${proj.id}&role=technician&active=1&limit=50`, admin)).json.items;
    const tech = techs.find((s) => /^tech/.test(s.username)) || techs[0];
    if (!tech) throw new Error('no demo technician in JXHT');
    const probe = await api(base, 'POST', '/auth/login', null, { username: tech.username, password: DEMO_PW });
    if (probe.status !== 200) throw new Error(`demo technician ${tech.username} cannot log in: ${probe.status}`);

    // --- The plan, as admin ---
    const title = 'E2E 电梯日检 ' + Date.now().toString(36).slice(-5);
    const created = await api(base, 'POST', '/plans', admin, {
      project_id: proj.id, kind: 'pm', title, rrule: 'FREQ=DAILY', dtstart: rfc3339(Date.now() - 3600 * 1000),
      window_minutes: 600, assign: { staff_id: tech.id }, category: '电梯',
      checklist: [
        { key: 'brake', label: '制动器检查', type: 'check' },
        { key: 'oil', label: '油位（格）', type: 'number', min: 2, max: 8 },
        { key: 'photo', label: '机房照片', type: 'photo' },
      ],
    });
    if (created.status !== 201) throw new Error('create plan: ' + JSON.stringify(created.json));
    const plan = created.json;
    const ts = (await api(base, 'GET', `/tasks?plan_id=${plan.id}&assignee_id=${tech.id}`, admin)).json.items;
    const task = ts.find((x) => Date.parse(x.starts_at) <= Date.now());
    if (!task || task.state !== 'scheduled') throw new Error('no open task of the plan: ' + JSON.stringify(ts.slice(0, 2)));

    const errors = [];
    const watch = (page, who) => page.on('pageerror', (e) => errors.push(`${who}: ${e}`));

    // --- The technician on a phone ---
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    watch(page, 'technician');
    await page.goto(base + '/w/');
    await page.waitForURL('**/w/login');
    await page.getByTestId('staff-login-username').locator('input').fill(tech.username);
    await page.getByTestId('staff-login-password').locator('input').fill(DEMO_PW);
    await page.getByTestId('staff-login-submit').click();
    await page.waitForURL((u) => u.pathname === '/w/' || u.pathname === '/w');
    const card = page.getByTestId(`staff-task-${task.id}`);
    await card.waitFor();
    if (!(await card.textContent()).includes(title)) throw new Error('我的任务 card: ' + (await card.textContent()));
    await page.getByTestId('staff-name').getByText(tech.name).waitFor();
    await page.screenshot({ path: join(OUT, 'staff-tasks.png') });
    await card.click();
    await page.waitForURL(`**/w/tasks/${task.id}`);

    // 异常 needs 问题描述 + 处理措施 before it is saved
    await page.getByTestId('item-bad-brake').click();
    await page.getByTestId('item-save-brake').click();
    await page.getByTestId('item-brake').getByText('请填写问题描述').waitFor();
    await page.getByTestId('item-note-brake').locator('textarea').fill('制动片磨损');
    await page.getByTestId('item-measure-brake').locator('textarea').fill('已调整间隙，待更换制动片');
    await page.getByTestId('item-save-brake').click();
    await page.getByTestId('item-saved-brake').waitFor();
    // the number inside its range is saved when the field is left
    const oil = page.getByTestId('item-number-oil').locator('input');
    await oil.fill('5');
    await oil.blur();
    await page.getByTestId('item-saved-oil').waitFor();
    // the photo: uploaded, then saved with the result
    await page.getByTestId('item-photo-photo').locator('input[type=file]').setInputFiles({ name: 'room.png', mimeType: 'image/png', buffer: PNG_1x1 });
    await page.getByTestId('item-saved-photo').waitFor();
    await page.screenshot({ path: join(OUT, 'staff-task-answered.png'), fullPage: true });

    // every answer is on the server already: a reload shows them all saved
    await page.reload();
    for (const key of ['brake', 'oil', 'photo']) await page.getByTestId(`item-saved-${key}`).waitFor();
    if ((await page.getByTestId('item-note-brake').locator('textarea').inputValue()) !== '制动片磨损') throw new Error('the note did not come back');

    await page.getByTestId('task-finish').click();
    const link = page.getByTestId('item-ticket-brake');
    await link.getByText('已生成工单').waitFor();
    await page.getByTestId('task-state').getByText('已完成').waitFor();
    if (await page.getByTestId('item-ticket-oil').count()) throw new Error('a normal item shows a ticket');
    if (await page.getByTestId('task-finish').count()) throw new Error('a finished task still offers 完成任务');
    await page.screenshot({ path: join(OUT, 'staff-task-finished.png'), fullPage: true });

    // --- Through the API: the abnormal result opened a ticket of channel inspection ---
    const got = (await api(base, 'GET', `/tasks/${task.id}`, admin)).json;
    const items = Object.fromEntries(got.items.map((i) => [i.key, i]));
    const ticketId = items.brake.result && items.brake.result.ticket_id;
    if (got.state !== 'done' || !ticketId) throw new Error('after finish: ' + JSON.stringify({ state: got.state, brake: items.brake.result }));
    if (items.oil.result.ticket_id || items.oil.result.value !== 5 || items.oil.result.ok !== true) throw new Error('oil: ' + JSON.stringify(items.oil.result));
    if (items.photo.result.photos.length !== 1) throw new Error('photo: ' + JSON.stringify(items.photo.result));
    if (items.brake.result.note !== '制动片磨损' || items.brake.result.measure !== '已调整间隙，待更换制动片') throw new Error('brake: ' + JSON.stringify(items.brake.result));
    const tk = await api(base, 'GET', `/tickets/${ticketId}`, admin);
    if (tk.status !== 200 || tk.json.channel !== 'inspection' || tk.json.kind !== 'repair' || tk.json.category !== '电梯') {
      throw new Error('ticket: ' + tk.status + ' ' + JSON.stringify(tk.json && { channel: tk.json.channel, kind: tk.json.kind, category: tk.json.category }));
    }
    if (!(await link.textContent()).includes(`#${ticketId}`)) throw new Error('link says ' + (await link.textContent()));

    // the ticket on the phone: its number and status
    await link.click();
    await page.waitForURL(`**/w/tickets/${ticketId}`);
    await page.getByTestId('staff-ticket-no').getByText(tk.json.no).waitFor();
    await page.getByTestId('staff-ticket-status').waitFor();
    await page.screenshot({ path: join(OUT, 'staff-ticket.png') });

    // 扫码: a photo of the task's QR code (a URL of any host) opens the task
    await page.goto(base + '/w/scan');
    await page.getByTestId('scan-tip').waitFor();
    await page.getByTestId('scan-file').setInputFiles({ name: 'qr.png', mimeType: 'image/png', buffer: qrPng(`https://anju.example.com/w/tasks/${task.id}`) });
    await page.waitForURL(`**/w/tasks/${task.id}`);
    await page.getByTestId('task-state').getByText('已完成').waitFor();
    // a code that names no task says so and stays
    await page.goto(base + '/w/scan');
    await page.getByTestId('scan-file').setInputFiles({ name: 'qr.png', mimeType: 'image/png', buffer: qrPng('hello world') });
    await page.getByTestId('scan-message').getByText('不是安居的任务二维码').waitFor();
    await page.screenshot({ path: join(OUT, 'staff-scan.png') });
    await ctx.close();

    // --- The console: 维保计划 lists the plan in words, 任务 shows it done ---
    const cctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const cpage = await cctx.newPage();
    watch(cpage, 'console');
    await cpage.goto(base + '/login');
    await cpage.getByTestId('login-username').fill('admin');
    await cpage.getByTestId('login-password').fill(ADMIN_PW);
    await cpage.getByTestId('login-submit').click();
    await cpage.waitForURL((u) => !u.pathname.startsWith('/login'));
    await cpage.getByTestId('menu-work-plans').click();
    await cpage.waitForURL('**/plans');
    // the admin sees every project: look at this one (its plans fit on the first page)
    await cpage.getByTestId('project-switcher').click();
    await cpage.locator('.el-select-dropdown__item:visible', { hasText: proj.name }).click();
    const rule = cpage.getByTestId(`plan-rule-${plan.id}`);
    await rule.waitFor();
    if ((await rule.textContent()).trim() !== '每天') throw new Error('维保计划 shows the rule as ' + (await rule.textContent()));
    // the next occurrence, as the console writes times ("12-04 01:25")
    const nextAt = plan.next_occurrences[0].slice(5, 16).replace('T', ' ');
    await cpage.getByTestId(`plan-next-${plan.id}`).getByText(nextAt).waitFor();
    await cpage.screenshot({ path: join(OUT, 'console-plans.png') });
    await cpage.getByTestId(`plan-row-${plan.id}`).click();
    await cpage.getByTestId('plan-next').locator('.el-tag').nth(4).waitFor(); // five next occurrences
    await cpage.waitForTimeout(400); // the drawer slides in
    await cpage.screenshot({ path: join(OUT, 'console-plan-drawer.png') });

    await cpage.goto(base + '/tasks');
    const state = cpage.getByTestId(`task-state-${task.id}`);
    await state.waitFor();
    if (!(await state.textContent()).includes('已完成')) throw new Error('任务 shows the state as ' + (await state.textContent()));
    await cpage.getByTestId(`task-row-${task.id}`).click();
    const drawer = cpage.getByTestId('task-drawer');
    await drawer.getByTestId('task-ticket-brake').getByText(`已生成工单 #${ticketId}`).waitFor();
    await drawer.locator(`[data-testid=task-photo-${items.photo.result.photos[0]}] img`).waitFor();
    await cpage.waitForTimeout(400);
    await cpage.screenshot({ path: join(OUT, 'console-tasks.png') });
    await drawer.getByTestId('task-ticket-brake').click();
    await cpage.waitForURL(`**/tickets/${ticketId}`);
    await cctx.close();

    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  });
}
