// tests/e2e/console_departments.mjs: departments as records in the browser (loaded by
// run.mjs). In 组织 → 部门 the admin sees the seven seeded departments, adds 安保部
// (function security); in 员工 the department field is a select fed by
// GET /departments, and a new guard saved with 安保部 has it by id. A manager
// reads the 部门 tab but gets neither the create button nor the actions.
import { join } from 'node:path';

const PW = 'e2e-Staff-2026!';

async function login(page, base, username, password) {
  await page.goto(base + '/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

// Opens an Element Plus select by its test id and picks the option labelled text.
async function pick(page, testid, text) {
  await page.getByTestId(testid).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

export default function register(test, { api, OUT, ADMIN_PW }) {
  test('console: departments — the admin adds 安保部 and a guard joins it from the staff form', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const suffix = Date.now().toString(36).slice(-5);
    const errors = [];
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await login(page, base, 'admin', ADMIN_PW);

    await page.goto(base + '/org/departments');
    const table = page.getByTestId('department-table');
    for (const name of ['客服部', '工程部', '秩序部', '保洁部', '绿化部', '品质部', '管理处'])
      await table.getByText(name, { exact: true }).first().waitFor();
    const name = '安保部' + suffix;
    await page.getByTestId('department-create').click();
    await page.getByTestId('department-name').fill(name);
    await pick(page, 'department-function', '秩序 / 安保');
    await page.getByTestId('department-save').click();
    await table.getByText(name, { exact: true }).waitFor();
    await page.screenshot({ path: join(OUT, 'console-departments.png') });
    const dept = (await api(base, 'GET', '/departments?limit=200', admin)).json.items.find((d) => d.name === name);
    if (!dept || dept.function !== 'security' || dept.parent_id !== null)
      throw new Error('department after save: ' + JSON.stringify(dept));

    await page.goto(base + '/org/staff');
    await page.getByTestId('staff-create').click();
    const username = `e2e_dept_${suffix}`;
    await page.getByTestId('staff-username').fill(username);
    await page.getByTestId('staff-password').fill(PW);
    await page.getByTestId('staff-name').fill('安保周师傅');
    await pick(page, 'staff-role', '秩序维护员');
    await pick(page, 'staff-department', name);
    await page.getByTestId('staff-save').click();
    let st = null;
    for (let i = 0; i < 50 && !st; i++) {
      st = (await api(base, 'GET', `/staff?q=${username}`, admin)).json.items[0] || null;
      if (!st) await new Promise((r) => setTimeout(r, 100));
    }
    if (!st) {
      await page.screenshot({ path: join(OUT, 'console-departments-staff-fail.png') });
      throw new Error('the staff member was not saved');
    }
    if (st.department_id !== dept.id || st.department !== name || st.department_function !== 'security')
      throw new Error('staff department: ' + JSON.stringify(st));
    await ctx.close();

    // A manager reads the chart but does not edit it.
    const proj = (await api(base, 'GET', '/projects?limit=50', admin)).json.items[0];
    const boss = await api(base, 'POST', '/staff', admin, {
      username: `e2e_dept_boss_${suffix}`, password: PW, name: '部门李经理', role: 'manager',
      department: '管理', project_ids: [proj.id],
    });
    if (boss.status !== 201) throw new Error('create manager: ' + JSON.stringify(boss.json));
    const bctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const bpage = await bctx.newPage();
    bpage.on('pageerror', (e) => errors.push('manager: ' + e));
    await login(bpage, base, boss.json.username, PW);
    await bpage.goto(base + '/org/departments');
    await bpage.getByTestId('department-table').getByText(name, { exact: true }).waitFor();
    if (await bpage.getByTestId('department-create').count()) throw new Error('a manager sees the create button');
    if (await bpage.getByTestId(`department-edit-${dept.id}`).count()) throw new Error('a manager sees the edit action');
    await bctx.close();
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  });
}
