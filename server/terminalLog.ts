// Where `npm start` writes its log. A person at a terminal gets short readable lines
// (pino-pretty); anything else — a pipe, a file, a container's log collector — gets
// pino's JSON, one object a line, for machines to parse.

/** A pino-pretty stream when stdout is a terminal, else undefined (pino's JSON on stdout). */
export async function terminalLog(stdout: NodeJS.WriteStream = process.stdout): Promise<{ write(line: string): void } | undefined> {
  if (!stdout.isTTY) return undefined;
  // Loaded only for a terminal: instances under a service manager or in tests start without it.
  const { default: pretty } = await import('pino-pretty');
  return pretty({
    // Node writes to a terminal synchronously: a line logged just before an exit is not lost.
    destination: stdout,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,reqId',
  });
}
