// Builds the Svelte client into client/dist, which the Fastify server serves.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const api = `http://127.0.0.1:${process.env.PORT ?? 3000}`;

export default defineConfig({
  root: 'client',
  plugins: [svelte()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    // `npm run dev:client` talks to a server started with `npm run dev`.
    proxy: { '/api': api, '/socket.io': { target: api, ws: true }, '/healthz': api },
  },
});
