// Excel import: the sheet is read in the browser (read-excel-file, loaded
// only here), each data row becomes one JSON body, and each row is sent on its
// own so its result can be shown beside it. Templates are written in the
// browser too (write-excel-file). Rooms and residents are this area's schemas;
// another area brings its own schema object ({columns, required, aliases,
// check(values) -> problems, example, widths?}) and the same functions take it.

export const SCHEMAS = {
  rooms: {
    columns: ['building', 'unit', 'floor', 'number', 'area_m2'],
    required: ['building', 'floor', 'number'],
    example: [
      ['1栋', '1单元', 1, '101', 89.5],
      ['1栋', '1单元', 1, '102', 120],
    ],
  },
  residents: {
    columns: ['name', 'phone', 'kind', 'building', 'unit', 'number', 'tags'],
    required: ['name', 'phone'],
    example: [
      ['张三', '13800000000', '业主', '1栋', '1单元', '101', '老人,独居'],
      ['李四', '13900000000', '租户', '1栋', '1单元', '102', ''],
    ],
  },
}

// Header names accepted for each column, in either language.
const ALIASES = {
  building: ['楼栋', '楼栋名称', '楼号', 'building'],
  unit: ['单元', '单元号', 'unit'],
  floor: ['楼层', '层', 'floor'],
  number: ['房号', '房间号', '门牌号', 'number', 'room', 'roomnumber'],
  area_m2: ['面积', '建筑面积', '面积㎡', '面积m2', 'area', 'aream2', 'area_m2'],
  name: ['姓名', '住户姓名', 'name'],
  phone: ['手机号', '手机', '电话', '手机号码', 'phone', 'mobile'],
  kind: ['类型', '住户类型', '身份', 'kind', 'type'],
  tags: ['标签', '关怀标签', 'tags', 'caretags'],
}

const KIND_WORDS = {
  业主: 'owner',
  owner: 'owner',
  家庭成员: 'family',
  家属: 'family',
  family: 'family',
  租户: 'tenant',
  tenant: 'tenant',
}

const TAG_WORDS = {
  老人: 'elderly',
  elderly: 'elderly',
  独居: 'alone',
  livesalone: 'alone',
  alone: 'alone',
  残障: 'disabled',
  残疾: 'disabled',
  disabled: 'disabled',
  儿童: 'child',
  child: 'child',
  孕妇: 'pregnant',
  pregnant: 'pregnant',
  vip: 'vip',
  重点关怀: 'key_care',
  keycare: 'key_care',
  key_care: 'key_care',
}

export function norm(s) {
  return String(s ?? '')
    .trim()
    .toLowerCase()
    .replace(/[*＊\s（）()[\]【】:：]/g, '')
}

function cellText(v) {
  if (v === null || v === undefined) return ''
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  return String(v).trim()
}

export function columnOf(header, aliases = ALIASES) {
  const h = norm(header)
  for (const [key, names] of Object.entries(aliases)) if (names.some((n) => norm(n) === h)) return key
  return null
}

export function schemaOf(what) {
  return typeof what === 'string' ? SCHEMAS[what] : what
}

// rows: the sheet as a 2-D array. Returns { missing: [column keys], present:
// [column keys the sheet has], rows: [{ line, values: {col: text}, problems:
// [{key, params}] }] }.
export function mapSheet(sheet, what) {
  const schema = schemaOf(what)
  const aliases = schema.aliases || ALIASES
  const isEmpty = (row) => !row || row.every((c) => cellText(c) === '')
  let h = 0
  while (h < sheet.length && isEmpty(sheet[h])) h++
  const header = sheet[h] || []
  const index = {}
  header.forEach((cell, i) => {
    const key = columnOf(cell, aliases)
    if (key && schema.columns.includes(key) && index[key] === undefined) index[key] = i
  })
  const missing = schema.required.filter((c) => index[c] === undefined)
  const rows = []
  for (let r = h + 1; r < sheet.length; r++) {
    const raw = sheet[r]
    if (isEmpty(raw)) continue
    const values = {}
    for (const c of schema.columns) values[c] = index[c] === undefined ? '' : cellText(raw[index[c]])
    const required = schema.required.filter((c) => !values[c]).map((col) => ({ key: 'fieldRequired', params: { col } }))
    const own = schema.check ? schema.check(values) : checkRow(values, what)
    rows.push({ line: r + 1, values, problems: [...required, ...own] })
  }
  return { missing, rows, present: Object.keys(index) }
}

function checkRow(v, what) {
  const problems = []
  if (what === 'rooms') {
    if (v.floor && !/^-?\d+$/.test(v.floor)) problems.push({ key: 'badNumber', params: { col: 'floor' } })
    if (v.area_m2 && !Number.isFinite(Number(v.area_m2))) problems.push({ key: 'badNumber', params: { col: 'area_m2' } })
  } else {
    if (v.kind && !KIND_WORDS[norm(v.kind)]) problems.push({ key: 'badKind', params: {} })
    for (const tag of splitTags(v.tags)) if (!TAG_WORDS[norm(tag)]) problems.push({ key: 'badTag', params: { tag } })
  }
  return problems
}

function splitTags(s) {
  return String(s || '')
    .split(/[,，、;；\s]+/)
    .map((x) => x.trim())
    .filter(Boolean)
}

export function roomBody(v, buildingId) {
  const body = { building_id: buildingId, unit: v.unit, floor: Number(v.floor), number: v.number }
  if (v.area_m2 !== '' && Number(v.area_m2) > 0) body.area_m2 = Number(v.area_m2)
  return body
}

export function residentBody(v, roomId) {
  const body = {
    name: v.name,
    phone: v.phone.replace(/[\s-]/g, ''),
    kind: KIND_WORDS[norm(v.kind)] || 'owner',
    tags: [...new Set(splitTags(v.tags).map((x) => TAG_WORDS[norm(x)]))],
  }
  if (roomId) body.room_ids = [roomId]
  return body
}

// The sheet in a File, as a 2-D array (first sheet).
export async function readWorkbook(file) {
  const { readSheet } = await import('read-excel-file/universal')
  return readSheet(file)
}

// A template: the first sheet (the one imported) has the header only, so no
// example can be imported by mistake; a second sheet shows filled-in rows
// and the rules.
export async function templateBlob(what, headerOf, { sheetName, exampleName, note }) {
  const { default: writeExcelFile } = await import('write-excel-file/universal')
  const schema = schemaOf(what)
  const header = schema.columns.map((c) => ({ value: headerOf(c), fontWeight: 'bold', backgroundColor: '#E8F0FE' }))
  const wide = schema.wide || ['tags', 'phone']
  const columns = schema.columns.map((c) => ({ width: wide.includes(c) ? 16 : 12 }))
  const plain = schema.columns.map((c) => ({ value: headerOf(c), fontWeight: 'bold' }))
  return writeExcelFile([
    { data: [header], sheet: sheetName, columns, stickyRowsCount: 1 },
    { data: [plain, ...schema.example, [], [note]], sheet: exampleName, columns },
  ]).toBlob()
}

export function download(blob, name) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
}
