// The project an organisation screen works on: ?project= in the URL (so a
// link names it), else the console's current project (the header switcher),
// else the first active project the user may see.
import { computed, onMounted } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { projectState } from '../shared/project.js'
import { loadProjects, orgState } from './orgStore.js'

export function useOrgProject() {
  const route = useRoute()
  const router = useRouter()
  const projectId = computed({
    get() {
      const q = Number(route.query.project)
      if (q) return q
      if (projectState.id) return projectState.id
      const first = orgState.projects.find((p) => p.active) || orgState.projects[0]
      return first ? first.id : null
    },
    set(v) {
      router.replace({ query: { ...route.query, project: v ? String(v) : undefined } })
    },
  })
  onMounted(() => {
    loadProjects().catch(() => {
      /* the picker shows the error */
    })
  })
  return projectId
}
