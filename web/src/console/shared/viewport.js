// Phone-width windows (a technician on site, 390–430 px): screens switch to a
// one-column layout, cards instead of tables and a drawer menu.
import { ref } from 'vue'

export const NARROW_QUERY = '(max-width: 767px)'
const narrow = ref(false)
if (typeof window !== 'undefined' && window.matchMedia) {
  const mq = window.matchMedia(NARROW_QUERY)
  narrow.value = mq.matches
  mq.addEventListener('change', (e) => (narrow.value = e.matches))
}

export function useNarrow() {
  return narrow
}
