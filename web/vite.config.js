// Vite build for the Anju web app.
//
// One single-page app (index.html) carries four areas, each loaded lazily by
// route so they never pay for each other's UI library:
//   /login, /        staff console   (src/console,  Element Plus)
//   /m/...           resident pages  (src/resident, Vant)
//   /w/...           staff phone pages (src/staff, Vant; jsQR on the scan page)
//   /p/...           public pages    (src/public,   no UI library)
// The C server serves dist/ at "/", falls back to index.html for unknown
// non-/api paths, caches /assets/* forever and index.html never; so every
// emitted asset lives under dist/assets/ with a content hash in its name.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { VantResolver } from '@vant/auto-import-resolver'
import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('.', import.meta.url))

// Every "<dir>/<component>/<style>" module a UI library ships, as import ids.
function styleEntries(dir, style) {
  const base = `${root}node_modules/${dir}`
  if (!existsSync(base)) return []
  return readdirSync(base)
    .filter((name) => existsSync(`${base}/${name}/${style}`))
    .map((name) => `${dir}/${name}/${style.replace(/\.mjs$/, '')}`)
}

// The Vue runtime (vue, vue-router, vue-i18n) is needed by every page: keep it
// in one long-cached chunk. Element Plus, Vant and ECharts are deliberately NOT
// grouped here: a manualChunks group pulls whole libraries in, defeating tree
// shaking; Rollup's own splitting already keeps each library with the lazy
// routes that use it, so the resident pages never load Element Plus.
function vendorChunk(id) {
  if (/\/node_modules\/(vue|@vue|vue-router|vue-i18n|@intlify)\//.test(id)) return 'vue'
  return undefined
}

// Shared chunks are named after their first module, which says little
// ("LangSwitch", "base"); name the ones that carry a UI library after it.
function chunkFileName(info) {
  if (!info.isDynamicEntry && !info.isEntry) {
    const has = (dir) => info.moduleIds.some((id) => id.includes(`/node_modules/${dir}/`))
    if (has('element-plus')) return 'assets/element-plus-[hash].js'
    if (has('vant')) return 'assets/vant-[hash].js'
    if (has('echarts')) return 'assets/echarts-[hash].js'
  }
  return 'assets/[name]-[hash].js'
}

// Vant's icon font is inlined as a data: URL with a fallback on a CDN
// (at.alicdn.com). The server's CSP allows fonts from 'self' and data: only,
// and Chrome reports the refused fallback even though it never needs it; the
// fallback goes, so the resident pages load nothing from another origin.
function vantIconFontLocal() {
  return {
    name: 'anju-vant-icon-font-local',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/vant\/(es|lib)\/icon\/index\.css$/.test(id.split('?')[0])) return null
      return { code: code.replace(/,\s*url\(\/\/at\.alicdn\.com\/[^)]*\)\s*format\("woff"\)/g, ''), map: null }
    },
  }
}

export default defineConfig({
  base: '/',
  plugins: [
    vantIconFontLocal(),
    vue(),
    // Element Plus and Vant components are imported on demand, with their CSS,
    // wherever a template uses <el-*> or <van-*>.
    Components({
      dts: false,
      dirs: [],
      resolvers: [ElementPlusResolver({ importStyle: 'css' }), VantResolver()],
    }),
  ],
  define: {
    // vue-i18n feature flags: Composition API only, no devtools in production.
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
  },
  // Dev server: pre-bundle the UI libraries up front. Their components are
  // added to lazy route chunks by unplugin-vue-components, which the dep
  // scanner cannot see, and late discovery makes Vite reload the page.
  optimizeDeps: {
    include: [
      'vue',
      'vue-router',
      'vue-i18n',
      'element-plus/es',
      ...styleEntries('element-plus/es/components', 'style/css.mjs'),
      'element-plus/es/locale/lang/zh-cn',
      'element-plus/es/locale/lang/en',
      '@element-plus/icons-vue',
      'vant/es',
      ...styleEntries('vant/es', 'style/index.mjs'),
      'vant/es/locale/lang/zh-CN',
      'vant/es/locale/lang/en-US',
    ],
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: 'es2020',
    // Small icons stay inline; everything else is a hashed file in assets/.
    assetsInlineLimit: 4096,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        entryFileNames: 'assets/[name]-[hash].js',
        chunkFileNames: chunkFileName,
        assetFileNames: 'assets/[name]-[hash][extname]',
        manualChunks: vendorChunk,
      },
    },
  },
})
