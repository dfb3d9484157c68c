// Photos taken on a phone, before they are uploaded (POST /files): shared by
// the resident pages (/m/) and the staff phone pages (/w/).
//
// Phone cameras take 3–8 MB photos; a 1600 px JPEG is plenty to show a leak
// and uploads in a second over mobile data. Anything the browser cannot
// decode is sent as it is (the server checks the content either way).
const MAX_SIDE = 1600

export async function shrinkPhoto(file) {
  if (!file || !/^image\/(jpeg|png|webp)$/.test(file.type) || file.size < 400 * 1024) return file
  if (typeof createImageBitmap !== 'function') return file
  try {
    const bmp = await createImageBitmap(file)
    const scale = Math.min(1, MAX_SIDE / Math.max(bmp.width, bmp.height))
    const w = Math.round(bmp.width * scale)
    const h = Math.round(bmp.height * scale)
    const canvas = document.createElement('canvas')
    canvas.width = w
    canvas.height = h
    canvas.getContext('2d').drawImage(bmp, 0, 0, w, h)
    bmp.close && bmp.close()
    const blob = await new Promise((ok) => canvas.toBlob(ok, 'image/jpeg', 0.85))
    return blob && blob.size < file.size ? new File([blob], 'photo.jpg', { type: 'image/jpeg' }) : file
  } catch {
    return file
  }
}
