// A server list paged by cursor ({items, next_cursor, total}) shown one page
// at a time with previous/next: the cursors of the pages seen are kept, so
// "previous" goes back exactly. Filters changing start again at page 1.
import { ref } from 'vue'

export function useCursorList(fetchPage, { pageSize = 20 } = {}) {
  const items = ref([])
  const total = ref(null)
  const loading = ref(false)
  const error = ref(null)
  const size = ref(pageSize)
  const cursors = ref([null]) // cursor of each page seen; the last is the current page
  const nextCursor = ref(null)
  let seq = 0

  async function fetch() {
    const mine = ++seq
    loading.value = true
    error.value = null
    try {
      const cursor = cursors.value[cursors.value.length - 1]
      const res = await fetchPage({ limit: size.value, cursor: cursor || undefined, with_total: 1 })
      if (mine !== seq) return
      items.value = res.items || []
      nextCursor.value = res.next_cursor || null
      total.value = typeof res.total === 'number' ? res.total : null
    } catch (e) {
      if (mine !== seq) return
      error.value = e
      items.value = []
      nextCursor.value = null
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function reload() {
    cursors.value = [null]
    return fetch()
  }
  function refresh() {
    return fetch()
  }
  function next() {
    if (!nextCursor.value) return
    cursors.value = [...cursors.value, nextCursor.value]
    return fetch()
  }
  function prev() {
    if (cursors.value.length < 2) return
    cursors.value = cursors.value.slice(0, -1)
    return fetch()
  }
  function setSize(n) {
    size.value = n
    return reload()
  }

  return { items, total, loading, error, size, cursors, nextCursor, reload, refresh, next, prev, setSize }
}
