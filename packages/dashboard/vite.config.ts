import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** Modules under node_modules/ whose package name matches one of `packages` (regular expressions). */
const vendor = (packages: string[]) => new RegExp(`node_modules[\\\\/](${packages.join('|')})[\\\\/]`);

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
    rolldownOptions: {
      output: {
        // Named vendor chunks: React for every page, the chart stack only for pages with charts.
        codeSplitting: {
          groups: [
            {
              name: 'react',
              priority: 2,
              test: vendor([
                'react',
                'react-dom',
                'react-router',
                'react-router-dom',
                'scheduler',
                'cookie',
                'set-cookie-parser',
              ]),
            },
            {
              name: 'charts',
              priority: 1,
              test: vendor([
                'recharts',
                'd3-[a-z-]+',
                'victory-vendor',
                '@reduxjs',
                'redux',
                'react-redux',
                'immer',
                'reselect',
                'decimal\\.js-light',
                'es-toolkit',
                'eventemitter3',
                'tiny-invariant',
                'use-sync-external-store',
              ]),
            },
          ],
        },
      },
    },
  },
  server: {
    // `npx vite` in this folder talks to a collector on the default port.
    proxy: { '/v1': process.env.MCPTRAIL_URL ?? 'http://127.0.0.1:4400' },
  },
});
