// Coalesces bursts (an import of 500 people, a wave of ratings) into one update per
// key per interval, always sending the latest state last.
export class KeyedThrottle {
  private pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly intervalMs: number) {}

  run(key: string, task: () => void): void {
    if (this.pending.has(key)) return;
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        task();
      }, this.intervalMs),
    );
  }

  clear(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
