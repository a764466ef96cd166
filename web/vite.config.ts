/**
 * Vite config for the Sky Eye console. Run from the repo root:
 *   npm run build:web  (-> web/dist, served by the server with SPA fallback)
 *   npm run dev:web    (dev server; /api and /socket.io proxied to the API on :8080)
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const api = process.env.SKYEYE_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: here('./public'),
  plugins: [react()],
  resolve: {
    alias: {
      '@common': here('../common'),
      '@web': here('./src'),
    },
  },
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/socket.io': { target: api, ws: true, changeOrigin: false },
    },
  },
  preview: { host: '127.0.0.1' },
});
