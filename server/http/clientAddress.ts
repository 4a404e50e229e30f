// Which address a request or a socket comes from. One trust rule serves Fastify (request.ip)
// and the socket handshakes, so a limit counts the same client however it arrives.
import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/**
 * TRUST_PROXY, parsed: `false` believes no X-Forwarded-For (the client's own socket address
 * counts), `true` believes any, a number trusts that many proxy hops in front of the server,
 * a list trusts proxies at those addresses or CIDR ranges (`loopback`, `uniquelocal` too).
 */
export type TrustProxy = boolean | number | string[];

/** proxy-addr's trust function: is the hop at `address`, `hop` steps from the server, a proxy we run? */
export type TrustRule = (address: string, hop: number) => boolean;

export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = (raw ?? '').trim();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const list = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  try {
    proxyAddr.compile(list);
  } catch (error) {
    throw new Error(`TRUST_PROXY must be true, a number of proxy hops, or addresses/CIDR ranges separated by commas (${(error as Error).message})`);
  }
  return list;
}

export function trustRule(setting: TrustProxy): TrustRule {
  if (setting === true) return () => true;
  if (setting === false) return () => false;
  // A hop count trusts the nearest `n` hops whoever they are. Fastify 5.12 treats a bare
  // number as "trust nothing", so we give it this rule instead of the number: with one
  // nginx in front (and the server reachable only through it), 1 means "nginx's word".
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyAddr.compile(setting);
}

/** The client's address for a raw request (a socket's handshake), by the same rule as request.ip. */
export function clientAddress(request: IncomingMessage, trust: TrustRule): string {
  return proxyAddr(request, trust);
}
