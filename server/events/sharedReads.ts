// Thousands of phones reconnecting at once (the venue Wi-Fi came back) each need a view
// of the same event. Instead of one full read of the store per phone, readers that arrive
// while a read of that event is under way share it. A change this instance commits or
// hears of ends the sharing at once: whoever asks after a change gets a read that started
// after it, so nobody is handed an older state than a read of their own would give.
export class SharedReads<T> {
  private readonly running = new Map<string, Promise<T>>();

  constructor(private readonly read: (key: string) => Promise<T>) {}

  get(key: string): Promise<T> {
    let reading = this.running.get(key);
    if (!reading) {
      const started: Promise<T> = this.read(key).finally(() => {
        if (this.running.get(key) === started) this.running.delete(key);
      });
      this.running.set(key, started);
      reading = started;
    }
    return reading;
  }

  /** Something about `key` changed: later readers start a fresh read. */
  changed(key: string): void {
    this.running.delete(key);
  }
}
