// Finds a Redis for the integration tests: REDIS_URL, else 127.0.0.1:6379, else a
// throwaway redis-server on a free port; otherwise the run stops with how to get one.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createClient } from 'redis';
import type { TestProject } from 'vitest/node';
import { freePort } from './ports';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

async function answers(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { connectTimeout: 1000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    const pong = await client.ping();
    await client.quit();
    return pong === 'PONG';
  } catch {
    return false;
  }
}

let throwaway: ChildProcess | undefined;

export default async function setup(project: TestProject): Promise<() => void> {
  let url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (!(await answers(url))) {
    if (spawnSync('redis-server', ['--version']).status !== 0) {
      throw new Error(
        `No Redis answered at ${url} and redis-server is not installed. Install it (sudo apt-get install redis-server), start one, or set REDIS_URL.`,
      );
    }
    const port = await freePort();
    throwaway = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    url = `redis://127.0.0.1:${port}`;
    for (let i = 0; i < 50 && !(await answers(url)); i++) await new Promise((r) => setTimeout(r, 100));
    if (!(await answers(url))) throw new Error(`Started redis-server on port ${port}, but it did not answer.`);
  }
  project.provide('redisUrl', url);
  return () => {
    throwaway?.kill();
  };
}
