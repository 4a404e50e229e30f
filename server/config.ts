// Configuration from the environment. Every option says its unit, default and why.
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TrustProxy, parseTrustProxy } from './http/clientAddress';

/** Where the embedded store keeps its file unless DATA_DIR says otherwise: inside the project, git-ignored. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../.tablehop', import.meta.url));

export interface Config {
  /** PORT — TCP port for HTTP and sockets. Default 3000. */
  port: number;
  /** HOST — interface to listen on. Default 0.0.0.0 so phones on the venue Wi-Fi can reach it. */
  host: string;
  /** PUBLIC_URL — what QR codes and links point at. Default: this machine's LAN address and port. */
  publicUrl: string;
  /** REDIS_URL — unset: the embedded SQLite store in DATA_DIR (one laptop). Set: Redis, needed for several instances. */
  redisUrl: string | undefined;
  /** DATA_DIR — folder of the embedded store's file (tablehop.db), created owner-only. Default: .tablehop/ in the project. Unused with Redis. */
  dataDir: string;
  /** REDIS_PREFIX — key prefix, default "tablehop:". Tests use their own. */
  redisPrefix: string;
  /** RETENTION_DAYS — how long an ended event's data is kept for export, in days. Default 30. */
  retentionDays: number;
  /** LOBBY_EXPIRY_DAYS — an event that never started is deleted this many days after its last change. Default 3: abandoned or flooded events do not pile up. */
  lobbyExpiryDays: number;
  /** TICK_MS — how often this instance looks for phases that are due, in ms. Default 200 (advances land within 1 s). */
  tickMs: number;
  /** LOG_LEVEL — pino level. Default info; "silent" in tests. */
  logLevel: string;
  /** ADMIN_TOKEN — if set, creating an event needs "Authorization: Bearer <ADMIN_TOKEN>". Unset: anyone may create one. */
  adminToken: string | undefined;
  /** CORS_ORIGINS — comma-separated origins allowed to call the API from other sites. Unset: none (same origin only). */
  corsOrigins: string[];
  /** MAX_PARTICIPANTS — people per event, default 20000: one event cannot eat the server. */
  maxParticipants: number;
  /** MAX_LOBBY_EVENTS_PER_ADDRESS — events created from one address that may wait in the lobby at once, default 50: an organizer prepares a few, a script cannot fill the server. */
  maxLobbyEventsPerAddress: number;
  /** RATE_LIMIT_CREATE — events created per IP per minute, default 20. */
  rateLimitCreate: number;
  /** RATE_LIMIT_JOIN — joins per IP per minute, default 1200 (a whole hall can sit behind one venue NAT address). */
  rateLimitJoin: number;
  /** RATE_LIMIT_RATINGS — ratings per IP per minute, default 6000 (thousands of phones rate in the same changeover). */
  rateLimitRatings: number;
  /**
   * TRUST_PROXY — whose X-Forwarded-For to believe for the client's address (every per-address
   * limit counts by it). Default: nobody's, so a client cannot pick its own address. Set it
   * when the server is reached only through a proxy: `1` (hops), `127.0.0.1`, `10.0.0.0/8,…`,
   * or `true` (any peer: only when nothing but the proxy can reach the server).
   */
  trustProxy: TrustProxy;
  /** RATE_LIMIT_RATINGS_PER_PERSON — ratings per person per minute, socket and HTTP together, default 60 (a phone rates two or three people a changeover, and may correct them). */
  rateLimitRatingsPerPerson: number;
  /** RATE_LIMIT_ACTIONS — organizer actions (start, pause, skip…) per event per minute, socket and HTTP together, default 120 (a person presses a button every few seconds at most). */
  rateLimitActions: number;
  /** RATE_LIMIT_ACTIONS_PER_ADDRESS — organizer actions per IP per minute, default 600 (several organizers' laptops may share a venue NAT address). */
  rateLimitActionsPerAddress: number;
  /** RATE_LIMIT_PINGS — clock pings per socket per minute, default 120 (a phone pings 5 times on connect and then every 10 s). */
  rateLimitPings: number;
  /** MAX_SOCKETS_PER_LINK — sockets open at once on one personal link, per instance, default 5 (a phone, a laptop and a few reloads). */
  maxSocketsPerLink: number;
  /** MAX_SOCKETS_PER_ADDRESS — sockets open at once from one IP, per instance, default 10000 (a whole hall can sit behind one venue NAT address). */
  maxSocketsPerAddress: number;
  /** WRONG_CODES_LIMIT — wrong join codes per IP per 10 minutes before joins from it pause, default 100 (makes guessing codes impractical). */
  wrongCodesLimit: number;
}

/** The first non-internal IPv4 address: what a phone on the same network can reach. */
export function lanAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number between ${min} and ${max} (got "${raw}")`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const publicUrl = (env.PUBLIC_URL || `http://${lanAddress()}:${port}`).replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new Error(`PUBLIC_URL must be a full URL like http://192.168.1.20:3000 (got "${publicUrl}")`);
  }
  return {
    port,
    host: env.HOST || '0.0.0.0',
    publicUrl,
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.REDIS_PREFIX || 'tablehop:',
    dataDir: env.DATA_DIR ? resolve(env.DATA_DIR) : DEFAULT_DATA_DIR,
    retentionDays: integer(env, 'RETENTION_DAYS', 30, 1, 3650),
    lobbyExpiryDays: integer(env, 'LOBBY_EXPIRY_DAYS', 3, 1, 365),
    tickMs: integer(env, 'TICK_MS', 200, 20, 1000),
    logLevel: env.LOG_LEVEL || 'info',
    adminToken: env.ADMIN_TOKEN || undefined,
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    maxParticipants: integer(env, 'MAX_PARTICIPANTS', 20_000, 1, 1_000_000),
    maxLobbyEventsPerAddress: integer(env, 'MAX_LOBBY_EVENTS_PER_ADDRESS', 50, 1, 1_000_000),
    rateLimitCreate: integer(env, 'RATE_LIMIT_CREATE', 20, 1, 1_000_000),
    rateLimitJoin: integer(env, 'RATE_LIMIT_JOIN', 1200, 1, 10_000_000),
    rateLimitRatings: integer(env, 'RATE_LIMIT_RATINGS', 6000, 1, 10_000_000),
    wrongCodesLimit: integer(env, 'WRONG_CODES_LIMIT', 100, 1, 1_000_000),
    rateLimitRatingsPerPerson: integer(env, 'RATE_LIMIT_RATINGS_PER_PERSON', 60, 1, 1_000_000),
    rateLimitActions: integer(env, 'RATE_LIMIT_ACTIONS', 120, 1, 1_000_000),
    rateLimitActionsPerAddress: integer(env, 'RATE_LIMIT_ACTIONS_PER_ADDRESS', 600, 1, 10_000_000),
    rateLimitPings: integer(env, 'RATE_LIMIT_PINGS', 120, 1, 1_000_000),
    maxSocketsPerLink: integer(env, 'MAX_SOCKETS_PER_LINK', 5, 1, 10_000),
    maxSocketsPerAddress: integer(env, 'MAX_SOCKETS_PER_ADDRESS', 10_000, 1, 10_000_000),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
  };
}
