// tests/e2e/console_password_reset.mjs: a staff password reset in the browser
// (loaded by run.mjs). A manager may not type in another person's password
// (issue 11): in 员工 the edit dialog offers 发送密码重置验证码 instead, which
// texts a code to the technician's phone (read here from the server log, where
// the SMS driver writes it); the technician opens 忘记密码？ on the login page,
// sets a new password with the code (a wrong code first) and logs in with it.
// An admin sees both the password field and the reset button.
import { join } from 'node:path';

const PW = 'e2e-Staff-2026!';
const NEW_PW = 'e2e-Reset-2026!';

async function login(page, base, username, password) {
  await page.goto(base + '/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

// Opens the edit dialog of one staff member on /org/staff.
async function editStaff(page, base, member) {
  await page.goto(base + '/org/staff');
  const q = page.getByTestId('staff-q');
  await q.fill(member.username);
  await q.press('Enter');
  await page.getByTestId(`staff-edit-${member.id}`).click();
  await page.getByTestId('staff-username').waitFor();
}

export default function register(test, { api, OUT, ADMIN_PW }) {
  test('console: a manager sends a password reset code, the technician sets a new password on the login page', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const proj = (await api(base, 'GET', '/projects?limit=50', admin)).json.items.find((p) => p.code === 'JXHT');
    if (!proj) throw new Error('demo project JXHT missing');
    const suffix = Date.now().toString(36).slice(-5);
    const phone = '139' + String(Date.now()).slice(-8);
    const mk = async (role, name, extra = {}) => {
      const r = await api(base, 'POST', '/staff', admin, {
        username: `e2e_pwr_${role}_${suffix}`, password: PW, name, role, project_ids: [proj.id], ...extra,
      });
      if (r.status !== 201) throw new Error(`create ${role}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    };
    const boss = await mk('manager', '重置赵经理', { department: '管理' });
    const tech = await mk('technician', '重置孙师傅', { department: '工程', phone });

    const errors = [];
    const watch = (page, who) => page.on('pageerror', (e) => errors.push(`${who}: ${e}`));

    // --- The manager: no password field for someone else, a reset button ---
    const bossCtx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const bossPage = await bossCtx.newPage();
    watch(bossPage, 'manager');
    await login(bossPage, base, boss.username, PW);
    await editStaff(bossPage, base, tech);
    if (await bossPage.getByTestId('staff-password').count()) throw new Error('a manager sees the password field of another member');
    const before = server.log().length;
    await bossPage.getByTestId('staff-password-reset').click();
    const box = bossPage.locator('.el-message-box');
    await box.getByText('重置孙师傅').waitFor();
    await box.getByRole('button', { name: '发送' }).click();
    const sent = bossPage.getByTestId('staff-password-reset-sent');
    await sent.waitFor();
    const hint = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
    const sentText = (await sent.textContent()).trim();
    if (sentText !== `验证码已发送至 ${hint}，15 分钟内有效`) throw new Error('after sending the dialog says ' + sentText);
    await bossPage.screenshot({ path: join(OUT, 'console-password-reset-sent.png') });

    let code = null;
    for (let i = 0; i < 50 && !code; i++) {
      const m = [...server.log().slice(before).matchAll(new RegExp(`sms to ${phone}: .*?(\\d{6})`, 'g'))];
      if (m.length) code = m[m.length - 1][1];
      else await new Promise((r) => setTimeout(r, 100));
    }
    if (!code) throw new Error('no reset code in the server log');
    await bossCtx.close();

    // --- The technician, logged out, on the login page ---
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await ctx.newPage();
    watch(page, 'technician');
    await page.goto(base + '/login');
    await page.getByTestId('login-forgot').click();
    await page.getByTestId('reset-username').fill(tech.username);
    await page.getByTestId('reset-code').fill(code === '000000' ? '111111' : '000000');
    await page.getByTestId('reset-password').fill(NEW_PW);
    await page.getByTestId('reset-confirm').fill(NEW_PW);
    await page.getByTestId('reset-submit').click();
    await page.getByTestId('reset-error').getByText('验证码错误或已过期').waitFor();
    await page.getByTestId('reset-code').fill(code);
    await page.getByTestId('reset-submit').click();
    await page.getByTestId('login-notice').getByText('密码已重置').waitFor();
    await page.getByTestId('reset-code').waitFor({ state: 'hidden' });
    const filled = await page.getByTestId('login-username').inputValue();
    if (filled !== tech.username) throw new Error('login form has username ' + filled);
    await page.screenshot({ path: join(OUT, 'console-password-reset-done.png') });
    await page.getByTestId('login-password').fill(NEW_PW);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.getByTestId('shell-username').getByText('重置孙师傅').waitFor();
    const old = await api(base, 'POST', '/auth/login', null, { username: tech.username, password: PW });
    if (old.status !== 401) throw new Error('the old password still logs in: ' + old.status);
    await ctx.close();

    // --- An admin keeps the password field and also gets the reset button ---
    const adminCtx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const adminPage = await adminCtx.newPage();
    watch(adminPage, 'admin');
    await login(adminPage, base, 'admin', ADMIN_PW);
    await editStaff(adminPage, base, tech);
    await adminPage.getByTestId('staff-password').waitFor();
    await adminPage.getByTestId('staff-password-reset').waitFor();
    await adminCtx.close();

    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  });
}
