// The server bench:store measures: the real app (buildApp, as `npm start` builds it) on the
// embedded store, with its data in the file named by argv[2], or ':memory:' for the same
// store without a disk (the in-memory path it is compared with); argv[3] "normal" runs the
// file with synchronous=NORMAL instead of FULL. Tells the parent its port.
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { SqliteStore } from '../../server/store/SqliteStore';

const file = process.argv[2] ?? ':memory:';
const config = { ...loadConfig(), port: 0, host: '127.0.0.1', redisUrl: undefined };
const store = new SqliteStore({ file, retentionSeconds: 86_400, lobbyExpirySeconds: 86_400 });
// For comparison only: NORMAL skips the fsync of each commit (Tablehop itself always runs FULL).
if (process.argv[3] === 'normal') store.db.pragma('synchronous = NORMAL');
const app = await buildApp({ config, store });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
config.publicUrl = address;
process.send?.({ type: 'listening', port: Number(new URL(address).port) });
process.on('message', (message: { type: string }) => {
  if (message.type === 'close') void app.close().then(() => process.exit(0));
});
