// tests/e2e/console_equipment_import.mjs: the equipment book's Excel round trip in
// the browser (loaded by run.mjs). A manager of a fresh project exports the book
// (the file reads back with the import's headers and words), edits it — one name
// changed, one row left alone, one piece added, three bad rows —, and imports it:
// each row says 已更新 / 无变化 / 已新增 or why not, and the book holds exactly
// what the good rows asked for. Then the language switch: English strings fetched
// on the switch, and only those after a reload in English.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const HEADER = '编号,名称,类别,重要程度,状态,楼栋,位置,型号,厂家,出厂编号,安装日期,保修截止,维保单位,项目';

export default function register(test, { api, OUT, ADMIN_PW, root }) {
  const require = createRequire(join(root, 'web', 'package.json'));
  test('console: 设备台账 Excel export, edit and import back (update, unchanged, add, refusals)', async ({ browser, server }) => {
    const base = server.base;
    const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: ADMIN_PW })).json.token;
    const suffix = Date.now().toString(36).slice(-5).toUpperCase();
    const post = async (path, body) => {
      const r = await api(base, 'POST', path, admin, body);
      if (r.status !== 201) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    };
    const proj = await post('/projects', { code: 'EQX' + suffix, name: '导入测试苑' + suffix, address: '杭州市西湖区', service_level: 2 });
    const bld = await post(`/projects/${proj.id}/buildings`, { name: 'A栋', floors: 12 });
    const lift = await post('/equipment', {
      project_id: proj.id, code: 'DT-A-01', name: 'A栋1号客梯', class: 'elevator', building_id: bld.id, location: 'A栋大堂',
      maker: '三菱', installed_on: '2018-06-01', criticality: 'major',
    });
    const pump = await post('/equipment', { project_id: proj.id, code: 'SB-B1-01', name: '生活水泵', class: 'water', location: 'B1泵房' });
    const PW = 'e2e-Manager-2026!';
    const m = await post('/staff', { username: `e2e_eqx_${suffix.toLowerCase()}`, password: PW, name: '台账周经理', role: 'manager', department: '管理处', project_ids: [proj.id] });

    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(base + '/login');
    await page.getByTestId('login-username').fill(m.username);
    await page.getByTestId('login-password').fill(PW);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(base + '/equipment');
    await page.getByTestId(`eq-row-${lift.id}`).waitFor();

    // export: the file the browser saves is the book in the import's words
    const dl = page.waitForEvent('download');
    await page.getByTestId('eq-export').click();
    const download = await dl;
    if (!/^equipment-\d{8}-\d{4}\.xlsx$/.test(download.suggestedFilename())) throw new Error('export named ' + download.suggestedFilename());
    const exported = join(OUT, 'equipment-export.xlsx');
    await download.saveAs(exported);
    const { readSheet } = require('read-excel-file/node');
    const sheet = await readSheet(exported);
    if (sheet[0].join(',') !== HEADER) throw new Error('export header ' + sheet[0]);
    if (sheet.length !== 3) throw new Error('export rows ' + JSON.stringify(sheet));
    const liftRow = sheet.find((r) => r[0] === 'DT-A-01');
    if (liftRow[2] !== '电梯' || liftRow[3] !== '重要设备' || liftRow[4] !== '在用' || liftRow[5] !== 'A栋' || liftRow[8] !== '三菱')
      throw new Error('lift row ' + JSON.stringify(liftRow));
    if (!(liftRow[10] instanceof Date) || liftRow[10].toISOString().slice(0, 10) !== '2018-06-01') throw new Error('installed_on ' + liftRow[10]);

    // edit: rename the lift (its date stays an Excel date), keep the pump, add four rows
    const cell = (v) => (v instanceof Date ? { value: v, type: Date, format: 'yyyy-mm-dd' } : v === null || v === undefined ? null : { value: v });
    const edited = sheet.map((r) => r.map(cell));
    edited.find((r) => r[0] && r[0].value === 'DT-A-01')[1] = { value: 'A栋1号客梯（新）' };
    const empty = Array(9).fill(null);
    const row = (...cells) => [...cells.map(cell), ...empty].slice(0, 14);
    edited.push(row('XF-A-01', 'A栋消火栓泵', '消防', '重要', '', 'A栋', 'A栋地下室', 'XBD', '', '', '2020/3/15'));
    edited.push(row('QT-01', '喷泉', '景观', '', '', '', '中心花园'));
    edited.push(row('ZM-01', '路灯', '照明', '', '', 'Z栋'));
    edited.push(row('DT-A-02', 'A栋2号客梯', '电梯', '', '停机'));
    const writeExcelFile = require('write-excel-file/node').default || require('write-excel-file/node');
    const file = join(OUT, 'equipment-import.xlsx');
    writeFileSync(file, await writeExcelFile(edited).toBuffer());

    await page.getByTestId('eq-import').click();
    await page.getByTestId('eq-import-file').setInputFiles(file);
    await page.getByTestId('import-rows').getByText('A栋消火栓泵').waitFor();
    // the bad class is refused before anything is sent
    const early = await page.getByTestId('import-row-5').textContent();
    if (!early.includes('失败') || !early.includes('景观')) throw new Error('row 5 before the run: ' + early);
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-summary').getByText('成功 3 行，失败 3 行').waitFor({ timeout: 20000 });
    const said = async (line) => page.getByTestId(`import-row-${line}`).textContent();
    const expect = { 2: '已更新', 3: '无变化', 4: '已新增', 6: 'Z栋', 7: '停机' };
    for (const [line, word] of Object.entries(expect)) {
      const text = await said(line);
      if (!text.includes(word)) throw new Error(`row ${line} shows: ${text}`);
    }
    // sheet order: the export is by id, so row 2 is the lift and row 3 the pump
    await page.screenshot({ path: join(OUT, 'equipment-import.png') });

    const book = (await api(base, 'GET', `/equipment?project_id=${proj.id}&limit=50`, admin)).json.items;
    const byCode = Object.fromEntries(book.map((e) => [e.code, e]));
    if (Object.keys(byCode).sort().join(',') !== 'DT-A-01,SB-B1-01,XF-A-01') throw new Error('book holds ' + Object.keys(byCode));
    const l = byCode['DT-A-01'];
    if (l.name !== 'A栋1号客梯（新）' || l.installed_on !== '2018-06-01' || l.maker !== '三菱' || l.building_id !== bld.id || l.criticality !== 'major')
      throw new Error('lift after import ' + JSON.stringify(l));
    if (byCode['SB-B1-01'].updated_at !== pump.updated_at) throw new Error('the unchanged pump was written');
    const f = byCode['XF-A-01'];
    if (f.class !== 'fire' || f.criticality !== 'major' || f.building_id !== bld.id || f.installed_on !== '2020-03-15' || f.model !== 'XBD' || f.status !== 'in_service')
      throw new Error('added ' + JSON.stringify(f));
    // the list behind the dialog shows the new piece once the dialog closes
    await page.keyboard.press('Escape');
    await page.getByTestId(`eq-row-${f.id}`).waitFor();

    // English: the switch fetches the console's English strings before it shows
    // them, and a reload in English fetches only those
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-en').click();
    await page.getByRole('heading', { name: 'Equipment book' }).waitFor();
    await page.getByTestId('eq-export').getByText('Export Excel').waitFor();
    const packs = [];
    page.on('response', (r) => { if (/\/assets\/pack\.console\./.test(r.url())) packs.push(r.url()); });
    await page.reload();
    await page.getByTestId('eq-import').getByText('Import').waitFor();
    if (packs.length !== 1 || !/pack\.console\.en-/.test(packs[0])) throw new Error('packs fetched in English: ' + packs);
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-zh-CN').click();
    await page.getByText('设备台账').first().waitFor();
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
    await ctx.close();
  });
}
