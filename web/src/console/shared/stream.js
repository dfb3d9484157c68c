// The live stream (GET /api/v1/stream, server-sent events) for the console:
// one EventSource per tab, shared by every screen through onStream().
//   event: ticket        {id, no, project_id, status, action, assignee_id, at}
//   event: notification  {id, kind, ticket_id, title}
//   event: patrol        {task_id, project_id, checkpoint_id, flags, finished} (a scan)
//   event: task          {id, project_id, state, alert?} (a task missed, a round unstarted)
// The browser retries a dropped connection by itself; when it gives up (the
// server answered an error, e.g. before the endpoint exists or after a
// restart) we reconnect with a growing delay. Screens also get a synthetic
// "resync" event after every reconnect, since events may have been missed.
import { onBeforeUnmount, reactive } from 'vue'
import { streamUrl } from './sharedApi.js'

export const streamState = reactive({ status: 'idle' }) // idle | connecting | open | down

const handlers = new Map()
let es = null
let retryTimer = null
let failures = 0
let wasOpen = false
let wanted = false

function dispatch(type, data) {
  const set = handlers.get(type)
  if (!set) return
  for (const fn of [...set]) {
    try {
      fn(data)
    } catch (e) {
      console.warn('stream handler failed', e) // one bad screen must not stop the others
    }
  }
}

function parse(e) {
  try {
    return JSON.parse(e.data)
  } catch {
    return null
  }
}

function connect() {
  clearTimeout(retryTimer)
  retryTimer = null
  if (!wanted || es || typeof EventSource === 'undefined') return
  streamState.status = 'connecting'
  es = new EventSource(streamUrl(), { withCredentials: true })
  es.onopen = () => {
    streamState.status = 'open'
    failures = 0
    if (wasOpen) dispatch('resync', null)
    wasOpen = true
  }
  for (const type of ['ticket', 'notification', 'patrol', 'task']) {
    es.addEventListener(type, (e) => {
      const data = parse(e)
      if (data) dispatch(type, data)
    })
  }
  es.onerror = () => {
    if (!es) return
    if (es.readyState === EventSource.CLOSED) {
      // The browser gave up: try again later, backing off to 2 minutes.
      es.close()
      es = null
      streamState.status = 'down'
      failures++
      const delay = Math.min(120000, 2000 * 2 ** Math.min(failures - 1, 6))
      retryTimer = setTimeout(connect, delay)
    } else {
      streamState.status = 'down' // CONNECTING: the browser is retrying
    }
  }
}

export function startStream() {
  wanted = true
  connect()
}

export function stopStream() {
  wanted = false
  clearTimeout(retryTimer)
  retryTimer = null
  if (es) es.close()
  es = null
  failures = 0
  wasOpen = false
  streamState.status = 'idle'
}

// Back from a sleeping laptop or a hidden tab: reconnect at once.
if (typeof document !== 'undefined') {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && wanted && !es) connect()
  })
}

export function onStream(type, fn) {
  if (!handlers.has(type)) handlers.set(type, new Set())
  handlers.get(type).add(fn)
  return () => handlers.get(type)?.delete(fn)
}

// onStream for a component: unsubscribed when it unmounts.
export function useStream(type, fn) {
  const off = onStream(type, fn)
  onBeforeUnmount(off)
  return off
}
