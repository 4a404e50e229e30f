// Tablehop servers as separate processes, to kill -9 and restart like a real crash.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sleep } from './http';
import { freePort } from './ports';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Instance {
  port: number;
  url: string;
  readonly alive: boolean;
  /** Starts (or restarts) the process and waits until /healthz answers. */
  start(): Promise<void>;
  /** kill -9: no shutdown hook runs. */
  crash(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

export async function instance(env: { redisUrl: string; prefix: string; tickMs?: number; port?: number }): Promise<Instance> {
  const port = env.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let log = '';
  const exited = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
    });
  return {
    port,
    url,
    get alive() {
      return child !== null && child.exitCode === null && child.signalCode === null;
    },
    async start() {
      child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: ROOT,
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          PUBLIC_URL: url,
          REDIS_URL: env.redisUrl,
          REDIS_PREFIX: env.prefix,
          TICK_MS: String(env.tickMs ?? 100),
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (d) => (log += d));
      child.stderr?.on('data', (d) => (log += d));
      const until = Date.now() + 15_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`instance on ${port} exited: ${log}`);
        const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
        if (ok) return;
        if (Date.now() > until) throw new Error(`instance on ${port} did not become ready: ${log}`);
        await sleep(50);
      }
    },
    async crash() {
      child?.kill('SIGKILL');
      await exited();
    },
    async stop() {
      child?.kill('SIGTERM');
      await exited();
    },
    output: () => log,
  };
}
