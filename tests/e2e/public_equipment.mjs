// tests/e2e/public_equipment.mjs: what an equipment QR label opens on a phone
// (/q/e/{token}): a passer-by reports a lift fault, proving a phone by SMS code
// (a wrong code is refused under its field), and the repair ticket lands on the
// lift; a technician of the project sees the record and its status instead.
import { join } from 'node:path';

const DEMO_PW = process.env.ANJU_DEMO_PASSWORD || 'anju2026';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

export default function register(test, { api, OUT, ADMIN_PW }) {
  test('public: a passer-by reports a lift fault from its QR label with a phone proved by code; the ticket is on the lift', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const lifts = (await api(base, 'GET', '/equipment?class=elevator&status=in_service&limit=5', admin)).json.items;
    if (!lifts.length) throw new Error('the demo has no lift in service');
    const lift = lifts[0];
    const ctx = await browser.newContext(PHONE);
    const page = await ctx.newPage();
    await page.goto(`${base}/q/e/${lift.qr_token}`);
    await page.getByTestId('qr-name').getByText(lift.name).waitFor();
    await page.getByTestId('qr-form').waitFor();
    if (await page.getByTestId('qr-staff').count()) throw new Error('an anonymous caller sees the staff record');
    // nothing typed: the server's words under the field, nothing written
    await page.getByTestId('qr-submit').click();
    await page.getByTestId('qr-error-description').waitFor();
    await page.getByTestId('qr-description').fill('电梯门反复开关，无法运行');
    const phone = '13955550001';
    await page.getByTestId('qr-phone').fill(phone);
    const before = server.log().length;
    await page.getByTestId('qr-send-code').click();
    await page.getByTestId('qr-send-code').getByText(/秒后重发/).waitFor();
    let code = null;
    for (let i = 0; i < 50 && !code; i++) {
      const m = [...server.log().slice(before).matchAll(new RegExp(`sms to ${phone}: .*?(\\d{6})`, 'g'))];
      if (m.length) code = m[m.length - 1][1];
      else await page.waitForTimeout(100);
    }
    if (!code) throw new Error('no code in the server log');
    await page.getByTestId('qr-code').fill(code === '000000' ? '111111' : '000000');
    await page.getByTestId('qr-submit').click();
    await page.getByTestId('qr-error-code').getByText('验证码错误或已过期').waitFor();
    if (!page.url().includes('/q/e/')) throw new Error('a wrong code left the page for ' + page.url());
    await page.getByTestId('qr-code').fill(code);
    await page.getByTestId('qr-submit').click();
    const done = page.getByTestId('qr-done');
    await done.getByText('报修已提交').waitFor();
    const no = ((await page.getByTestId('qr-ticket-no').textContent()).match(/工单号：(\S+)/) || [])[1];
    await page.screenshot({ path: join(OUT, 'public-equipment-report.png') });
    await ctx.close();
    const tickets = (await api(base, 'GET', `/tickets?equipment_id=${lift.id}&limit=50`, admin)).json.items;
    const mine = tickets.find((x) => x.no === no);
    if (!mine) throw new Error(`ticket ${no} is not on the lift`);
    if (mine.category !== '电梯/故障停运') throw new Error('category ' + mine.category);

    // a technician of the project sees the record
    const techs = (await api(base, 'GET', `/staff?project_id=${lift.project_id}&role=technician&active=1&limit=5`, admin)).json.items;
    const tech = techs.find((s) => /^tech/.test(s.username)) || techs[0];
    const tctx = await browser.newContext(PHONE);
    const tpage = await tctx.newPage();
    await tpage.goto(base + '/w/login');
    await tpage.getByTestId('staff-login-username').locator('input').fill(tech.username);
    await tpage.getByTestId('staff-login-password').locator('input').fill(DEMO_PW);
    await tpage.getByTestId('staff-login-submit').click();
    await tpage.waitForURL((u) => !u.pathname.startsWith('/w/login'));
    await tpage.goto(`${base}/q/e/${lift.qr_token}`);
    await tpage.getByTestId('qr-staff').getByTestId('qr-status').getByText('在用').waitFor();
    if (await tpage.getByTestId('qr-phone').count()) throw new Error('staff are asked for a phone');
    await tctx.close();
  });
}
