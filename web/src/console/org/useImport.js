// The state of one Excel import (the rows read from the sheet, each row's
// status and message) and its run: the rows are sent one by one through the
// caller's function, so each row's own result, or the server's refusal of it,
// shows beside it. Used by 批量导入 (rooms, residents) and by any area that
// imports a sheet of its records (the equipment book).
import { computed, ref } from 'vue'
import { apiMessage } from './forms.js'
import { mapSheet, readWorkbook, schemaOf } from './importer.js'

// A failure found in the browser (not the server's), so retrying cannot help.
export function importLocalError(message) {
  const e = new Error(message)
  e.local = true
  return e
}

// schema: () => the schema (a name of importer.js's SCHEMAS or an object);
// header: column key -> its heading; fieldColumn: the API's field -> column.
export function useImport({ t, te, schema, header, fieldColumn = {} }) {
  const fileName = ref('')
  const rows = ref([])
  const present = ref([]) // the columns the sheet has
  const sheetError = ref('')
  const running = ref(false)
  const onlyFailed = ref(false)

  const shownRows = computed(() => (onlyFailed.value ? rows.value.filter((r) => r.status === 'failed') : rows.value))
  const okCount = computed(() => rows.value.filter((r) => r.status === 'ok').length)
  const failedCount = computed(() => rows.value.filter((r) => r.status === 'failed').length)
  const doneCount = computed(() => okCount.value + failedCount.value)
  const pendingCount = computed(() => rows.value.filter((r) => r.status === 'pending').length)
  const retriable = computed(() => rows.value.some((r) => r.status === 'failed' && r.serverFailed))

  function problemText(p) {
    const field = p.params.col ? header(p.params.col) : ''
    // an area's own message keys are whole paths ("assets.import.badClass")
    return t(p.key.includes('.') ? p.key : `org.import.${p.key}`, { ...p.params, field })
  }

  function clear() {
    rows.value = []
    fileName.value = ''
    sheetError.value = ''
    onlyFailed.value = false
  }

  async function readFile(file) {
    rows.value = []
    sheetError.value = ''
    fileName.value = file.name
    if (!/\.xlsx$/i.test(file.name)) {
      sheetError.value = t('org.import.notXlsx')
      return
    }
    try {
      const sheet = await readWorkbook(file)
      const { missing, rows: mapped, present: cols } = mapSheet(sheet, schemaOf(schema()))
      present.value = cols
      if (missing.length) {
        sheetError.value = t('org.import.missingColumns', { cols: missing.map(header).join('、') })
        return
      }
      if (!mapped.length) {
        sheetError.value = t('org.import.empty')
        return
      }
      rows.value = mapped.map((r) => ({
        ...r,
        status: r.problems.length ? 'failed' : 'pending',
        message: r.problems.map(problemText).join('；'),
        serverFailed: false,
      }))
    } catch (e) {
      sheetError.value = t('org.import.readFailed', { reason: (e && e.message) || String(e) })
    }
  }

  // The server's words, led by the column they concern when it names one.
  function rowMessage(e) {
    const msg = apiMessage(t, te, e)
    const col = e && fieldColumn[e.field]
    return col && !msg.includes(header(col)) ? `${header(col)}：${msg}` : msg
  }

  // prepare(): async, returns {row: async (row) => void, done?: () => void};
  // a throw from prepare itself stops the run and is rethrown.
  async function run(retry, prepare) {
    if (running.value) return
    running.value = true
    try {
      if (retry) for (const r of rows.value) if (r.status === 'failed' && r.serverFailed) Object.assign(r, { status: 'pending', message: '' })
      const job = await prepare()
      for (const row of rows.value) {
        if (row.status !== 'pending') continue
        row.status = 'running'
        try {
          const note = await job.row(row)
          Object.assign(row, { status: 'ok', message: note || '', serverFailed: false })
        } catch (e) {
          const local = e && e.local
          Object.assign(row, { status: 'failed', message: local ? e.message : rowMessage(e), serverFailed: !local })
        }
      }
      if (job.done) job.done()
    } catch (e) {
      for (const r of rows.value) if (r.status === 'running') r.status = 'pending'
      throw e
    } finally {
      running.value = false
    }
  }

  return { fileName, rows, present, sheetError, running, onlyFailed, shownRows, okCount, failedCount, doneCount, pendingCount, retriable, clear, readFile, run }
}
