// What every organisation list page shares: the cursor-paged list, the
// create/edit dialog (open, validate, POST or PATCH, server field errors under
// their field) and deactivate/reactivate (confirm, then PATCH {active}).
// A view names only what is its own: the page fetch, the create and update
// calls (from orgApi.js), the form and how a row fills it, the body it sends.
import { reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { useCursorList } from './useCursorList.js'
import { apiMessage, clearErrors, confirmAction, fieldError, toastError, toastOk } from './forms.js'

// opts:
//   fetchPage(page)   the list request (page = { limit, cursor, with_total })
//   create(body)      creates a record (a POST)
//   update(id, body)  changes one record (a PATCH: edit and active)
//   form              the blank form; fields its keys unless given
//   fill(row)         the form values for a row (null: a new record)
//   body(form)        the request body (default: a copy of the form)
//   onOpen(row)       after the form is filled, before the dialog shows
//   changed()         after a save or an active change succeeded
//   rowName(row)      the name in the deactivate question (default row.name)
export function useOrgList(opts) {
  const { t, te } = useI18n()
  const list = useCursorList(opts.fetchPage)
  const fields = opts.fields || Object.keys(opts.form)

  const formRef = ref()
  const form = reactive({ ...opts.form })
  const errs = reactive({})
  const dlg = reactive({ show: false, id: null, saving: false, error: '' })

  function afterChange() {
    list.refresh()
    if (opts.changed) opts.changed()
  }

  function openEdit(row) {
    clearErrors(errs)
    dlg.error = ''
    dlg.id = row ? row.id : null
    Object.assign(form, opts.fill(row))
    if (opts.onOpen) opts.onOpen(row)
    dlg.show = true
  }

  async function save() {
    clearErrors(errs)
    dlg.error = ''
    if (!(await formRef.value.validate().catch(() => false))) return
    dlg.saving = true
    try {
      const body = opts.body ? opts.body(form) : { ...form }
      if (dlg.id) await opts.update(dlg.id, body)
      else await opts.create(body)
      toastOk(dlg.id ? t('org.common.saved') : t('org.common.created'))
      dlg.show = false
      afterChange()
    } catch (e) {
      if (!fieldError(errs, e, fields)) dlg.error = apiMessage(t, te, e)
    } finally {
      dlg.saving = false
    }
  }

  async function toggle(row, on) {
    const name = opts.rowName ? opts.rowName(row) : row.name
    if (!on && !(await confirmAction(t, t('org.common.confirmDeactivate', { name }), t('org.common.confirmTitle')))) return
    try {
      await opts.update(row.id, { active: on })
      toastOk(on ? t('org.common.activated') : t('org.common.deactivated'))
      afterChange()
    } catch (e) {
      toastError(t, te, e)
    }
  }

  // Bound with v-bind on OrgListCard and OrgEditDialog.
  const card = { list, onCreate: () => openEdit(null), onEdit: openEdit, onToggle: toggle }
  const editor = { dlg, form, onSave: save }
  return { t, te, list, formRef, form, errs, dlg, card, editor, openEdit, save, toggle }
}
