// tests/e2e/run.mjs: browser tests of the web app in Debian's chromium, driven
// by playwright-core, against `anju serve` on a fresh database with demo data.
// Prints "e2e: N passed, N failed"; screenshots go to tests/e2e/out/.
// More tests live beside this file: every other tests/e2e/*.mjs exports
// `default function (test, ctx)` that registers its tests with test(name, fn);
// ctx = { api, ADMIN_PW, OUT, root }, and each fn gets { browser, server }.
// `node tests/e2e/run.mjs console` runs only tests whose name contains "console".
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'web', 'package.json'));
const { chromium } = require('playwright-core');
const BIN = process.env.ANJU_BIN || join(root, 'build', 'anju');
const OUT = join(root, 'tests', 'e2e', 'out');
const ADMIN_PW = 'e2e-Admin-2026';
mkdirSync(OUT, { recursive: true });

const freePort = () => new Promise((ok) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
});

async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'anju-e2e-'));
  const db = `sqlite:${dir}/anju.db`;
  const demo = spawnSync(BIN, ['demo', '--db', db, '--scale', 'small'], { encoding: 'utf8' });
  if (demo.status !== 0) throw new Error('demo failed: ' + demo.stderr);
  const port = await freePort();
  const logPath = join(dir, 'server.log');
  const proc = spawn('sh', ['-c', `exec "${BIN}" serve --dev --db ${db} --listen 127.0.0.1:${port} --web "${process.env.ANJU_WEB_DIR || join(root, 'web', 'dist')}" >"${logPath}" 2>&1`],
    { env: { ...process.env, ANJU_ADMIN_PASSWORD: ADMIN_PW } });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(base + '/healthz')).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, proc, dir, log: () => readFileSync(logPath, 'utf8') };
}

async function api(base, method, path, token, body) {
  const r = await fetch(base + '/api/v1' + path, {
    method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: 'Bearer ' + token } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, json: r.status === 204 ? null : await r.json() };
}

// A test that leaves a promise behind must not take the whole run down.
process.on('unhandledRejection', (e) => console.log('     (late rejection after a test: ' + String(e && e.message || e).split('\n')[0] + ')'));

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('console: login, shell shows the user, logout', async ({ browser, server }) => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.base + '/');
  await page.waitForURL('**/login');
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill(ADMIN_PW);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('shell-username').waitFor();
  const name = await page.getByTestId('shell-username').textContent();
  if (!name.includes('系统管理员')) throw new Error('shell shows ' + name);
  await page.getByText('锦绣华庭').first().waitFor(); // /me's projects on the workbench
  await page.screenshot({ path: join(OUT, 'console-shell.png') });
  await page.getByTestId('logout').click();
  await page.waitForURL('**/login');
  // the session is gone on the server too, not only in the page
  const me = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.status));
  if (me !== 401) throw new Error('after logout /me answered ' + me);
  if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  await page.close();
});

test('console: a wrong password is explained in Chinese', async ({ browser, server }) => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(server.base + '/login');
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill('not-the-password');
  await page.getByTestId('login-submit').click();
  await page.getByText('用户名或密码错误').waitFor();
  await page.screenshot({ path: join(OUT, 'console-login-error.png') });
  await page.close();
});

test('resident: one-time code login on a phone', async ({ browser, server }) => {
  const admin = (await api(server.base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
  const res = (await api(server.base, 'GET', '/projects/1/residents?limit=1', admin)).json.items[0];
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await page.goto(server.base + '/m/');
  await page.locator('#resident-phone').fill(res.phone);
  await page.getByTestId('resident-send-code').click();
  let code = null;
  for (let i = 0; i < 50 && !code; i++) {
    const m = [...server.log().matchAll(new RegExp(`sms to ${res.phone}: .*?(\\d{6})`, 'g'))];
    if (m.length) code = m[m.length - 1][1];
    else await new Promise((r) => setTimeout(r, 100));
  }
  if (!code) throw new Error('no code in the server log');
  await page.locator('#resident-code').fill(code);
  await page.getByTestId('resident-submit').click();
  await page.getByTestId('resident-name').waitFor();
  const hello = await page.getByTestId('resident-name').textContent();
  if (!hello.includes(res.name)) throw new Error('home shows ' + hello);
  await page.screenshot({ path: join(OUT, 'resident-home.png') });
  await page.close();
});

// The test files beside this runner, in name order.
const here = dirname(fileURLToPath(import.meta.url));
for (const f of readdirSync(here).filter((n) => n.endsWith('.mjs') && n !== 'run.mjs').sort()) {
  const mod = await import(join(here, f));
  if (typeof mod.default === 'function') mod.default(test, { api, ADMIN_PW, OUT, root });
}
const only = process.argv[2];
if (only) tests.splice(0, tests.length, ...tests.filter((t) => t.name.includes(only)));

const server = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let passed = 0, failed = 0;
for (const t of tests) {
  try {
    await t.fn({ browser, server });
    passed++;
    console.log('ok   ' + t.name);
  } catch (e) {
    failed++;
    console.log('FAIL ' + t.name + '\n     ' + String(e.stack || e).split('\n').slice(0, 6).join('\n     '));
  }
}
await browser.close();
server.proc.kill('SIGTERM');
rmSync(server.dir, { recursive: true, force: true });
console.log(`e2e: ${passed} passed, ${failed} failed`);
if (process.env.ANJU_RESULTS) appendFileSync(process.env.ANJU_RESULTS, `e2e ${passed} ${failed}\n`);
process.exit(failed ? 1 : 0);
