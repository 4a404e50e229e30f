// `npm start`: one process serving the API, the sockets and the client on one port.
import { buildApp } from './app';
import { loadConfig } from './config';
import { closeOnSignals } from './shutdown';
import { dataFile, openStore } from './store/openStore';
import { DataFileError } from './store/sqliteFile';
import { terminalLog } from './terminalLog';

const config = loadConfig();
const store = await openStore(config, (error) => console.error(`Redis: ${error.message}`)).catch((error: unknown) => {
  // A data file we cannot use stops startup with what to do: never a fresh, empty start.
  if (error instanceof DataFileError) {
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
  throw error;
});
const logStream = await terminalLog();
const app = await buildApp({ config, store, ...(logStream ? { logStream } : {}) });
closeOnSignals(app);

await app.listen({ port: config.port, host: config.host });
const file = dataFile(config.dataDir);
const where = config.redisUrl
  ? `Redis at ${config.redisUrl}`
  : `the embedded store (SQLite) in ${file}\n  Back it up: stop Tablehop (Ctrl-C), then copy ${config.dataDir}/ (or: sqlite3 ${file} ".backup backup.db").\n  Set REDIS_URL to use Redis instead`;
console.log(`\nTablehop is ready on ${where}.\n  Open ${config.publicUrl}/ to create an event.\n  API docs: ${config.publicUrl}/docs\n`);
