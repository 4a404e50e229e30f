// `npm start`: one process serving the API, the sockets and the client on one port.
import { buildApp } from './app';
import { loadConfig } from './config';
import { openStore } from './store/openStore';

const config = loadConfig();
const store = await openStore(config, (error) => console.error(`Redis: ${error.message}`));
const app = await buildApp({ config, store });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info(`${signal}: closing`);
    void app.close().then(() => process.exit(0));
  });
}

await app.listen({ port: config.port, host: config.host });
const store_ = config.redisUrl ? `Redis at ${config.redisUrl}` : 'the embedded memory store (set REDIS_URL to use Redis)';
console.log(`\nTablehop is ready on ${store_}.\n  Open ${config.publicUrl}/ to create an event.\n  API docs: ${config.publicUrl}/docs\n`);
