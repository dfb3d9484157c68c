// The checklist rows of the plan dialog ⇄ the API's checklist items
// ({key, label, type, min, max, required, standard_id}).
let uid = 0

export function autoKey(i) {
  return `item${i + 1}`
}

export function blankItem() {
  return { uid: ++uid, key: '', label: '', type: 'check', min: null, max: null, required: true, standard_id: null }
}

// A plan's items as editable rows.
export function rowsOf(list) {
  return (list || []).map((it) => ({
    uid: ++uid,
    key: it.key || '',
    label: it.label || '',
    type: it.type || 'check',
    min: typeof it.min === 'number' ? it.min : null,
    max: typeof it.max === 'number' ? it.max : null,
    required: it.required !== false,
    standard_id: it.standard_id ?? null,
  }))
}

// The request's checklist: an empty key becomes item<N> from the row's place
// (the next free one when another row already took that name); min and max
// only for numbers. The server checks the rest (key characters, duplicates,
// min ≤ max) and answers 422 "checklist".
export function checklistBody(rows) {
  const taken = new Set(rows.map((r) => r.key).filter(Boolean))
  return rows.map((r, i) => {
    let key = r.key
    if (!key) {
      let n = i
      while (taken.has(autoKey(n))) n++
      key = autoKey(n)
      taken.add(key)
    }
    const item = { key, label: r.label, type: r.type, required: !!r.required }
    if (r.type === 'number') {
      item.min = typeof r.min === 'number' ? r.min : null
      item.max = typeof r.max === 'number' ? r.max : null
    }
    if (r.standard_id) item.standard_id = r.standard_id
    return item
  })
}

// The first thing wrong that the form can say before asking the server.
export function checklistProblem(t, rows) {
  if (!rows.length) return t('work.checklist.empty')
  const i = rows.findIndex((r) => !r.label)
  return i >= 0 ? t('work.checklist.labelRequired', { n: i + 1 }) : ''
}
