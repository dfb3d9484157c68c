// 改进计划's one route component, for the board (voice/improvements) and a plan
// (voice/improvements/:id): a tiny chunk that loads the screen the route names. The route
// table sits on the console's first route, and each lazy screen there costs the list of
// its chunks; through this one the screens' lists load with the area, not before.
import { defineAsyncComponent, h } from 'vue'
import { useRoute } from 'vue-router'

const Board = defineAsyncComponent(() => import('./ImprovementsView.vue'))
const Plan = defineAsyncComponent(() => import('./ImprovementView.vue'))

export default {
  name: 'ImprovementsPage',
  setup() {
    const route = useRoute()
    return () => h(route.params.id ? Plan : Board)
  },
}
