import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The studio calls relative `/api` URLs: in development Vite forwards them to a
// local server; in production the server itself serves the built studio.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: process.env.FUSYNC_API ?? 'http://127.0.0.1:3000', changeOrigin: true },
    },
  },
  preview: {
    proxy: {
      '/api': { target: process.env.FUSYNC_API ?? 'http://127.0.0.1:3000', changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    // The served studio ships no source maps (3.6 MB, and the server does not serve *.map);
    // `pnpm --filter @fusync/studio exec vite build --sourcemap` makes a build to debug.
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
});
