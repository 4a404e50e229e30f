// Small JSON-over-HTTP client for tests: what a phone or the Control page sends.
export interface Reply<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export function api(base: string) {
  async function call<T = any>(method: string, path: string, options: { body?: unknown; token?: string; csv?: string } = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.csv !== undefined) {
      headers['content-type'] = 'text/csv';
      body = options.csv;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const response = await fetch(base + path, { method, headers, body });
    const text = await response.text();
    let parsed: any = text;
    if (response.headers.get('content-type')?.includes('application/json')) parsed = JSON.parse(text);
    return { status: response.status, body: parsed, text, headers: response.headers };
  }
  return {
    base,
    call,
    get: <T = any>(path: string, token?: string) => call<T>('GET', path, token ? { token } : {}),
    post: <T = any>(path: string, body: unknown, token?: string) => call<T>('POST', path, token ? { body, token } : { body }),
    del: <T = any>(path: string, token?: string) => call<T>('DELETE', path, token ? { token } : {}),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a value (not undefined/false) or the time runs out. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
