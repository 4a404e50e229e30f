// A real Tablehop server in a child process (`tsx server/main.ts`), on Redis or on the
// embedded store, for tests that kill it (SIGKILL: no goodbye to anyone) and start it again
// on the same port. Its Redis keys live under a prefix of its own, its data file in a
// temporary folder of its own; `cleanup` deletes them.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { RedisStore } from '../../server/store/RedisStore';
import { freePort } from './ports';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What `npx tsx` runs, without npx's own start-up time. */
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

export interface ServerProcess {
  url: string;
  port: number;
  prefix: string;
  /** The embedded store's folder (DATA_DIR), when on it. */
  dataDir: string | null;
  /** Starts the server (again) and resolves once /healthz answers. */
  start(): Promise<void>;
  /** Starts it expecting it to refuse: resolves with what it printed once it exited, rejects if it answers instead. */
  refusal(): Promise<{ code: number | null; output: string }>;
  /** Everything the running (or last) process printed. */
  output(): string;
  /** SIGKILL, like a crash or a pulled plug; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Sends `signal` (as a service manager would); resolves with the exit code once the process is gone. */
  stop(signal: 'SIGINT' | 'SIGTERM'): Promise<number | null>;
  /** Stops the server if it runs and deletes every Redis key under its prefix. */
  cleanup(): Promise<void>;
}

/**
 * `port`: another server's port, to play that server restarting with a store of its own
 * (without that server's data). `env`: settings over the ones here (LOG_LEVEL: '' for the default level).
 */
export async function serverProcess(
  options: { redisUrl?: string; tickMs?: number; store?: 'redis' | 'sqlite'; dataDir?: string; port?: number; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const prefix = `tablehop-test:${randomBytes(4).toString('hex')}:`;
  const redisUrl = options.redisUrl ?? inject('redisUrl');
  const onSqlite = options.store === 'sqlite';
  const ownDataDir = onSqlite && !options.dataDir;
  const dataDir = onSqlite ? (options.dataDir ?? mkdtempSync(join(tmpdir(), 'tablehop-test-'))) : null;
  let child: ChildProcess | null = null;
  let output = '';

  async function healthy(): Promise<boolean> {
    try {
      return (await fetch(`${url}/healthz`)).ok;
    } catch {
      return false;
    }
  }

  function spawnServer(): ChildProcess {
    if (child) throw new Error('the server is already running');
    output = '';
    const started = spawn(TSX, ['server/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: url,
        // Empty, not absent: a REDIS_URL from the environment must not win over the embedded store.
        REDIS_URL: onSqlite ? '' : redisUrl,
        REDIS_PREFIX: prefix,
        DATA_DIR: dataDir ?? '',
        LOG_LEVEL: 'warn',
        TICK_MS: String(options.tickMs ?? 100),
        ...options.env,
      },
      // Its own process group, so a kill reaches tsx's node child too.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    started.stdout?.on('data', (chunk) => (output += chunk));
    started.stderr?.on('data', (chunk) => (output += chunk));
    started.once('exit', () => {
      if (child === started) child = null;
    });
    return started;
  }

  async function refusal(): Promise<{ code: number | null; output: string }> {
    const started = spawnServer();
    const exited = new Promise<number | null>((resolve) => started.once('exit', (exitCode) => resolve(exitCode)));
    const answered = (async () => {
      const until = Date.now() + 20_000;
      while (child === started && Date.now() < until) {
        if (await healthy()) return true;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return false;
    })();
    if (await Promise.race([answered, exited.then(() => false)])) {
      await kill();
      throw new Error(`the server started instead of refusing:\n${output}`);
    }
    const code = await exited;
    // Its pipes may still hold the last lines.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { code, output };
  }

  async function start(): Promise<void> {
    const started = spawnServer();
    const until = Date.now() + 20_000;
    while (!(await healthy())) {
      if (child !== started) throw new Error(`the server exited while starting:\n${output}`);
      if (Date.now() > until) throw new Error(`the server did not answer /healthz within 20 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function kill(): Promise<void> {
    const running = child;
    if (!running?.pid) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    try {
      process.kill(-running.pid, 'SIGKILL');
    } catch {
      running.kill('SIGKILL');
    }
    await exited;
    child = null;
    // The port is free once nothing answers on it.
    while (await healthy()) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  async function stop(signal: 'SIGINT' | 'SIGTERM'): Promise<number | null> {
    const running = child;
    if (!running) throw new Error('the server is not running');
    // 'close', not 'exit': by then everything it printed has been read.
    const exited = new Promise<number | null>((resolve) => running.once('close', (code) => resolve(code)));
    running.kill(signal);
    const code = await exited;
    child = null;
    return code;
  }

  async function cleanup(): Promise<void> {
    await kill();
    if (dataDir) {
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
      return;
    }
    const store = await RedisStore.connect({ url: redisUrl, prefix, retentionSeconds: 60, lobbyExpirySeconds: 60 });
    try {
      await store.flushPrefix();
    } finally {
      await store.close();
    }
  }

  return { url, port, prefix, dataDir, start, refusal, stop, output: () => output, kill, cleanup };
}
