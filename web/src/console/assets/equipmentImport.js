// The equipment book's Excel import: the sheet's schema for org/importer.js
// (columns, the headings accepted in either language, the words for class,
// criticality and status), and what one row sends. The columns and words are
// those of GET /equipment.xlsx, so an exported book imports back: a row whose
// 编号 the project has already updates that piece (when asked), any other row
// adds one.
import { norm } from '../org/importer.js'

const COLUMNS = ['code', 'name', 'class', 'criticality', 'status', 'building', 'location', 'model', 'maker', 'serial', 'installed_on', 'warranty_until', 'vendor']
const OPTIONAL_TEXT = ['model', 'maker', 'serial', 'vendor'] // null when empty; location is '' then

const words = (m) => Object.fromEntries(Object.entries(m).flatMap(([k, list]) => list.map((w) => [norm(w), k])))
const CLASS_WORDS = words({
  elevator: ['电梯', '直梯', '客梯', '货梯', '扶梯', '自动扶梯', 'elevator', 'lift'],
  fire: ['消防', '消防设施', 'fire'],
  water: ['给排水', '二次供水', '供水', '排水', '水泵', 'water'],
  power: ['供配电', '配电', '变配电', '电力', 'power'],
  hvac: ['暖通空调', '暖通', '空调', 'hvac'],
  lighting: ['照明', 'lighting'],
  access: ['门禁', '道闸', 'access'],
  cctv: ['监控', '安防监控', '视频监控', 'cctv'],
  other: ['其他', '其它', 'other'],
})
const CRIT_WORDS = words({ major: ['重要设备', '重要', '重大设备', '重大', 'major'], normal: ['一般', '普通', '一般设备', 'normal'] })
const STATUS_WORDS = words({ in_service: ['在用', '正常', '运行', 'inservice', 'in_service'], down: ['停机', '故障', 'down'], retired: ['报废', '停用', 'retired'] })

// "2019-05-01", "2019/5/1", "2019.05.01", "2019年5月1日" -> "2019-05-01"; null when not a date.
export function importDay(s) {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(String(s || '').trim())
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const dt = new Date(Date.UTC(y, mo - 1, d))
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

function check(v) {
  const problems = []
  if (v.class && !CLASS_WORDS[norm(v.class)]) problems.push({ key: 'assets.import.badClass', params: { value: v.class } })
  if (v.criticality && !CRIT_WORDS[norm(v.criticality)]) problems.push({ key: 'assets.import.badCriticality', params: { value: v.criticality } })
  if (v.status && !STATUS_WORDS[norm(v.status)]) problems.push({ key: 'assets.import.badStatus', params: { value: v.status } })
  for (const col of ['installed_on', 'warranty_until']) if (v[col] && !importDay(v[col])) problems.push({ key: 'assets.import.badDate', params: { col } })
  return problems
}

export const EQUIPMENT_SCHEMA = {
  columns: COLUMNS,
  required: ['code', 'name', 'class'],
  wide: ['name', 'location', 'vendor'],
  aliases: {
    code: ['编号', '设备编号', '编码', 'code'],
    name: ['名称', '设备名称', 'name'],
    class: ['类别', '设备类别', '设备类型', '类型', 'class'],
    criticality: ['重要程度', '重要性', '设备等级', 'criticality'],
    status: ['状态', '设备状态', 'status'],
    building: ['楼栋', '所在楼栋', 'building'],
    location: ['位置', '安装位置', '所在位置', 'location'],
    model: ['型号', '规格型号', 'model'],
    maker: ['厂家', '生产厂家', '制造商', '品牌', 'maker'],
    serial: ['出厂编号', '序列号', 'serial'],
    installed_on: ['安装日期', '投用日期', '启用日期', 'installedon', 'installed_on'],
    warranty_until: ['保修截止', '保修到期', '质保到期', 'warrantyuntil', 'warranty_until'],
    vendor: ['维保单位', '维保商', '维保公司', 'maintenancevendor', 'vendor'],
  },
  check,
  example: [
    ['DT-1-01', '1栋1号客梯', '电梯', '重要设备', '在用', '1栋', '1栋大堂', 'GeN2', '奥的斯', 'SN20190501', '2019-05-01', '2024-04-30', '上海某电梯维保公司'],
    ['SB-B1-01', '地下泵房生活水泵', '给排水', '一般', '在用', '', 'B1泵房', '', '', '', '2020-03-15', '', ''],
  ],
}

// The API's fields, by the column they come from.
export const EQUIPMENT_FIELD_COLUMN = { code: 'code', name: 'name', class: 'class', criticality: 'criticality', status: 'status', building_id: 'building', location: 'location', model: 'model', maker: 'maker', serial: 'serial', installed_on: 'installed_on', warranty_until: 'warranty_until', vendor: 'vendor' }

// What a row asks for, in the API's words: {body, down} where down says the
// row's status is 停机 (which only a downtime period sets, never a row).
// present: the columns the sheet has (a column it lacks leaves a piece's
// field alone; an empty cell of a column it has clears the field).
export function equipmentRow(v, present, buildingId) {
  const body = { code: v.code, name: v.name, class: CLASS_WORDS[norm(v.class)] }
  if (present.includes('criticality')) body.criticality = v.criticality ? CRIT_WORDS[norm(v.criticality)] : 'normal'
  if (present.includes('location')) body.location = v.location
  for (const k of OPTIONAL_TEXT) if (present.includes(k)) body[k] = v[k] || null
  for (const k of ['installed_on', 'warranty_until']) if (present.includes(k)) body[k] = v[k] ? importDay(v[k]) : null
  if (present.includes('building')) body.building_id = buildingId || null
  const status = v.status ? STATUS_WORDS[norm(v.status)] : null
  if (status && status !== 'down') body.status = status
  return { body, down: status === 'down' }
}

// The fields of body that differ from the piece as it is (for a PATCH that
// sends only changes; {} when the row says nothing new).
export function equipmentChanges(body, cur) {
  const out = {}
  for (const [k, val] of Object.entries(body)) if ((cur[k] ?? null) !== val) out[k] = val
  return out
}
