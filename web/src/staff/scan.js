// QR codes read on the staff phone pages: what a code opens, and reading one
// from a camera frame or a photo with jsQR (loaded only when first needed).

// A scanned text → { kind: 'task', id } for …/w/tasks/{id},
// { kind: 'equipment', token } for …/q/e/{token} (the equipment label),
// { kind: 'checkpoint', token } for …/w/c/{token} (a patrol checkpoint), or
// null. Full URLs of any host and bare paths are both accepted: a label
// printed for another address of the same server still names the same task.
export function scanTarget(text) {
  const s = String(text || '').trim()
  if (!s) return null
  let path = s
  try {
    path = new URL(s, window.location.origin).pathname
  } catch {
    /* not a URL: match the text itself */
  }
  let m = /^\/w\/tasks\/(\d+)\/?$/.exec(path)
  if (m) return { kind: 'task', id: Number(m[1]) }
  m = /^\/q\/e\/([A-Za-z0-9_-]+)\/?$/.exec(path)
  if (m) return { kind: 'equipment', token: m[1] }
  m = /^\/w\/c\/([A-Za-z0-9_-]+)\/?$/.exec(path)
  if (m) return { kind: 'checkpoint', token: m[1] }
  return null
}

let decoder = null
function jsQR() {
  if (!decoder) {
    decoder = import('jsqr').then(
      (m) => m.default || m,
      (e) => {
        decoder = null
        throw e
      },
    )
  }
  return decoder
}

const canvas = typeof document !== 'undefined' ? document.createElement('canvas') : null

// Draws a video frame or an image, at most maxSide px, and decodes it: the
// text, or null.
export async function decode(source, width, height, { maxSide = 640, both = false } = {}) {
  const read = await jsQR()
  if (!width || !height) return null
  const scale = Math.min(1, maxSide / Math.max(width, height))
  const w = Math.max(1, Math.round(width * scale))
  const h = Math.max(1, Math.round(height * scale))
  canvas.width = w
  canvas.height = h
  const ctx = canvas.getContext('2d', { willReadFrequently: true })
  ctx.drawImage(source, 0, 0, w, h)
  const img = ctx.getImageData(0, 0, w, h)
  const code = read(img.data, w, h, { inversionAttempts: both ? 'attemptBoth' : 'dontInvert' })
  return code && code.data ? code.data : null
}

// A photo taken with the camera app (when the page may not open the camera
// itself, e.g. over plain http): its QR text, or null.
export async function decodeFile(file) {
  const bmp = await createImageBitmap(file)
  try {
    return await decode(bmp, bmp.width, bmp.height, { maxSide: 1024, both: true })
  } finally {
    bmp.close && bmp.close()
  }
}

export function preloadDecoder() {
  return jsQR().catch(() => {})
}
