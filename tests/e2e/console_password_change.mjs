// tests/e2e/console_password_change.mjs: every logged-in user changes their
// own password (loaded by run.mjs). A desk user opens 修改密码 from the user
// menu in the console's header: a wrong current password, a too-common new
// one, the current one again and a mistyped confirmation are each explained
// on their field; then the change goes through, this session stays, a second
// session opened before it is ended, the old password no longer logs in and
// the new one does. A resident does the same on the phone page.
import { join } from 'node:path';

const PW = 'e2e-Staff-2026!';
const NEW_PW = 'e2e-Changed-2026!';
const RESIDENT_PW = 'Resident-pwc-2026';
const RESIDENT_NEW_PW = 'Resident-pwc-New-2026';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESK = { viewport: { width: 1366, height: 768 } };

function watchErrors(page, errors, who) {
  page.on('pageerror', (e) => errors.push(`${who}: ${e}`));
}

// The text Element Plus shows under the form item that holds `testid`.
function consoleFieldError(page, testid) {
  return page.locator('.el-form-item', { has: page.getByTestId(testid) }).locator('.el-form-item__error');
}

// The text Vant shows under the field `testid`.
function phoneFieldError(page, testid) {
  return page.getByTestId(testid).locator('.van-field__error-message');
}

// Waits until `locator` shows a text that `want` accepts: the previous error
// may still be fading out when the next answer arrives.
async function expectText(locator, want, what) {
  let got = null;
  for (let i = 0; i < 100; i++) {
    got = (await locator.count()) ? ((await locator.first().textContent()) || '').trim() : null;
    if (got !== null && want(got)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: ${JSON.stringify(got)}`);
}

async function meStatus(api, base, token) {
  return (await api(base, 'GET', '/me', token)).status;
}

export default function register(test, { api, OUT, ADMIN_PW }) {
  test('console: a user changes their own password; other sessions end, the old password stops working', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const proj = (await api(base, 'GET', '/projects?limit=50', admin)).json.items.find((p) => p.code === 'JXHT');
    if (!proj) throw new Error('demo project JXHT missing');
    const suffix = Date.now().toString(36).slice(-5);
    const made = await api(base, 'POST', '/staff', admin, {
      username: `e2e_pwc_desk_${suffix}`, password: PW, name: '改密钱客服', role: 'desk', department: '客服', project_ids: [proj.id],
    });
    if (made.status !== 201) throw new Error(`create staff: ${made.status} ${JSON.stringify(made.json)}`);
    const user = made.json;

    // A second session (another device), opened before the change.
    const other = await api(base, 'POST', '/auth/login', null, { username: user.username, password: PW });
    if (other.status !== 200) throw new Error('second login: ' + other.status);
    if ((await meStatus(api, base, other.json.token)) !== 200) throw new Error('the second session does not work to begin with');

    const errors = [];
    const ctx = await browser.newContext(DESK);
    const page = await ctx.newPage();
    watchErrors(page, errors, 'desk');
    await page.goto(base + '/login');
    await page.getByTestId('login-username').fill(user.username);
    await page.getByTestId('login-password').fill(PW);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('shell-username').getByText('改密钱客服').waitFor();

    // The user menu in the header holds 修改密码; the logout button stays beside it.
    await page.getByTestId('logout').waitFor();
    await page.getByTestId('shell-user').click();
    await page.getByTestId('pwchange-open').waitFor();
    await page.screenshot({ path: join(OUT, 'console-user-menu.png') });
    await page.getByTestId('pwchange-open').click();
    const dialog = page.locator('.el-dialog', { has: page.getByTestId('pwchange-old') });
    await dialog.getByText('修改密码').first().waitFor();

    let posts = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/me/password')) posts++;
    });

    // A mistyped confirmation never reaches the server.
    await page.getByTestId('pwchange-old').fill(PW);
    await page.getByTestId('pwchange-new').fill(NEW_PW);
    await page.getByTestId('pwchange-confirm').fill(NEW_PW + 'x');
    await page.getByTestId('pwchange-submit').click();
    await expectText(consoleFieldError(page, 'pwchange-confirm'), (s) => s === '两次输入的密码不一致', 'confirm field error');
    if (posts !== 0) throw new Error('a mismatched confirmation was sent to the server');

    // A wrong current password: the error is on the current-password field.
    await page.getByTestId('pwchange-old').fill('not-the-password-77');
    await page.getByTestId('pwchange-confirm').fill(NEW_PW);
    await page.getByTestId('pwchange-submit').click();
    await expectText(consoleFieldError(page, 'pwchange-old'), (s) => s === '当前密码不正确', 'current-password field error');
    if (await consoleFieldError(page, 'pwchange-new').count()) throw new Error('the new-password field shows an error for a wrong current password');
    await page.screenshot({ path: join(OUT, 'console-password-change-wrong.png') });

    // A too-common new password: the error moves to the new-password field.
    await page.getByTestId('pwchange-old').fill(PW);
    await page.getByTestId('pwchange-new').fill('password123');
    await page.getByTestId('pwchange-confirm').fill('password123');
    await page.getByTestId('pwchange-submit').click();
    await expectText(consoleFieldError(page, 'pwchange-new'), (s) => s.startsWith('密码太简单或太常见'), 'new-password field error');
    await consoleFieldError(page, 'pwchange-old').waitFor({ state: 'detached' });

    // The current password again is refused too.
    await page.getByTestId('pwchange-new').fill(PW);
    await page.getByTestId('pwchange-confirm').fill(PW);
    await page.getByTestId('pwchange-submit').click();
    await expectText(consoleFieldError(page, 'pwchange-new'), (s) => s === '新密码不能与当前密码相同', 'same-password field error');
    if (posts !== 3) throw new Error(`the server was asked ${posts} times, expected 3`);
    // Nothing has changed so far.
    if ((await meStatus(api, base, other.json.token)) !== 200) throw new Error('a refused change ended the other session');

    // Now properly.
    await page.getByTestId('pwchange-new').fill(NEW_PW);
    await page.getByTestId('pwchange-confirm').fill(NEW_PW);
    await page.getByTestId('pwchange-submit').click();
    await page.locator('.el-message--success').getByText('密码已修改，其他设备上的登录已退出').waitFor();
    await page.getByTestId('pwchange-old').waitFor({ state: 'hidden' });
    await page.screenshot({ path: join(OUT, 'console-password-change-done.png') });

    // This session stays (the page and the server agree) ...
    const mine = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.status));
    if (mine !== 200) throw new Error('the session that changed the password answered /me with ' + mine);
    if (new URL(page.url()).pathname.startsWith('/login')) throw new Error('the page was sent to the login page');
    // ... the one opened before the change is over ...
    const gone = await meStatus(api, base, other.json.token);
    if (gone !== 401) throw new Error('the other session still answers /me with ' + gone);
    // ... and only the new password logs in.
    const old = await api(base, 'POST', '/auth/login', null, { username: user.username, password: PW });
    if (old.status !== 401) throw new Error('the old password still logs in: ' + old.status);

    // Signing out and in again on the login page, with the new password.
    await page.getByTestId('logout').click();
    await page.waitForURL('**/login');
    await page.getByTestId('login-username').fill(user.username);
    await page.getByTestId('login-password').fill(NEW_PW);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('shell-username').getByText('改密钱客服').waitFor();

    // Too many wrong tries: the server answers 429 (faked here, the real one
    // waits growing seconds); the dialog says so above the form.
    await page.route('**/api/v1/me/password', (route) => route.fulfill({
      status: 429,
      headers: { 'Retry-After': '30' },
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'rate_limited', message: '尝试次数过多，请 30 秒后再试' } }),
    }));
    await page.getByTestId('shell-user').click();
    await page.getByTestId('pwchange-open').click();
    await page.getByTestId('pwchange-old').fill('not-the-password-78');
    await page.getByTestId('pwchange-new').fill('e2e-Another-2026!');
    await page.getByTestId('pwchange-confirm').fill('e2e-Another-2026!');
    await page.getByTestId('pwchange-submit').click();
    await expectText(page.getByTestId('pwchange-error'), (s) => s === '当前密码错误次数过多，请稍后再试', 'rate-limited message');
    await page.unroute('**/api/v1/me/password');
    await ctx.close();

    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  });

  test('resident: changes their own password on the phone page; the new one logs in', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    // A resident of project 2 that the other tests leave alone (they take one of the first five).
    const list = (await api(base, 'GET', '/projects/2/residents?limit=50&active=1', admin)).json.items;
    const r = list.slice(10).find((x) => x.room_ids.length >= 1 && x.phone);
    if (!r) throw new Error('no demo resident to use');
    const set = await api(base, 'POST', `/residents/${r.id}/password`, admin, { password: RESIDENT_PW });
    if (set.status !== 204) throw new Error('set resident password: ' + JSON.stringify(set.json));
    const other = await api(base, 'POST', '/auth/login', null, { username: r.phone, password: RESIDENT_PW });
    if (other.status !== 200) throw new Error('second resident login: ' + other.status);

    const errors = [];
    const ctx = await browser.newContext(PHONE);
    const page = await ctx.newPage();
    watchErrors(page, errors, 'resident');
    await page.goto(base + '/m/login');
    await page.getByRole('tab', { name: '密码登录' }).click();
    await page.locator('#resident-phone').fill(r.phone);
    await page.locator('#resident-password').fill(RESIDENT_PW);
    await page.getByTestId('resident-submit').click();
    await page.getByTestId('resident-name').waitFor();
    await page.screenshot({ path: join(OUT, 'resident-home-password.png'), fullPage: true });

    await page.getByTestId('pwchange-open').click();
    await page.waitForURL('**/m/password');
    await page.locator('#pwchange-old').fill('not-my-password-9');
    await page.locator('#pwchange-new').fill(RESIDENT_NEW_PW);
    await page.locator('#pwchange-confirm').fill(RESIDENT_NEW_PW);
    await page.getByTestId('pwchange-submit').click();
    await expectText(phoneFieldError(page, 'pwchange-old'), (s) => s === '当前密码不正确', 'resident current-password field error');
    await page.screenshot({ path: join(OUT, 'resident-password-wrong.png') });

    await page.locator('#pwchange-old').fill(RESIDENT_PW);
    await page.locator('#pwchange-new').fill('password123');
    await page.locator('#pwchange-confirm').fill('password123');
    await page.getByTestId('pwchange-submit').click();
    await expectText(phoneFieldError(page, 'pwchange-new'), (s) => s.startsWith('密码太简单或太常见'), 'resident new-password field error');

    await page.locator('#pwchange-new').fill(RESIDENT_NEW_PW);
    await page.locator('#pwchange-confirm').fill(RESIDENT_NEW_PW);
    await page.getByTestId('pwchange-submit').click();
    await page.locator('.van-toast').getByText('密码已修改，其他设备上的登录已退出').waitFor();
    await page.waitForURL((u) => u.pathname === '/m/' || u.pathname === '/m');
    await page.getByTestId('resident-name').waitFor();

    const gone = await meStatus(api, base, other.json.token);
    if (gone !== 401) throw new Error('the resident\'s other session still answers /me with ' + gone);
    const old = await api(base, 'POST', '/auth/login', null, { username: r.phone, password: RESIDENT_PW });
    if (old.status !== 401) throw new Error('the resident\'s old password still logs in: ' + old.status);
    const fresh = await api(base, 'POST', '/auth/login', null, { username: r.phone, password: RESIDENT_NEW_PW });
    if (fresh.status !== 200 || fresh.json.user.role !== 'resident') throw new Error('the new password does not log in: ' + fresh.status);
    await ctx.close();

    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  });
}
