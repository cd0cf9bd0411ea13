// Build and dev server for the dashboard. Run from the repository root:
//   npx vite build --config dashboard/vite.config.ts   → dist/dashboard/
//   npx vite --config dashboard/vite.config.ts         → dev server, /api proxied to the services
// SMARTSPACE_NODE_RED_URL (build time) sets the operators' link to the Node-RED editor.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { nodeRedUrl, serviceWorker } from './vite-plugins.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [nodeRedUrl(), serviceWorker(root)],
  build: {
    outDir: '../dist/dashboard',
    emptyOutDir: true,
    target: 'es2022',
    // No source maps: the dashboard faces the internet, and maps hand out the full source.
    sourcemap: false,
  },
  server: {
    proxy: {
      // The live stream is Server-Sent Events: the proxy passes it through unbuffered.
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
});
