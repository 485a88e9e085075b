import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The collector serves dist/ at `/` under a strict CSP (docs/dashboard.md#security):
// every script and stylesheet must be an external file, so nothing is inlined.
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `npx vite` in this folder talks to a collector on the default port.
    proxy: { '/v1': process.env.MCPTRAIL_URL ?? 'http://127.0.0.1:4400' },
  },
});
