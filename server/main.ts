// `npm start`: one process serving the API, the sockets and the client on one port.
import { buildApp } from './app';
import { loadConfig } from './config';
import { closeOnSignals } from './shutdown';
import { openStore } from './store/openStore';
import { terminalLog } from './terminalLog';

const config = loadConfig();
const store = await openStore(config, (error) => console.error(`Redis: ${error.message}`));
const logStream = await terminalLog();
const app = await buildApp({ config, store, ...(logStream ? { logStream } : {}) });
closeOnSignals(app);

await app.listen({ port: config.port, host: config.host });
const store_ = config.redisUrl ? `Redis at ${config.redisUrl}` : 'the embedded memory store (set REDIS_URL to use Redis)';
console.log(`\nTablehop is ready on ${store_}.\n  Open ${config.publicUrl}/ to create an event.\n  API docs: ${config.publicUrl}/docs\n`);
