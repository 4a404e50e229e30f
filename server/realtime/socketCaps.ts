// How many sockets one address and one personal link may hold open on this instance. A
// socket costs server memory (bench:fanout prints how much per phone), so without caps one
// laptop could open thousands; the defaults stay far above what a real hall needs (SECURITY.md).
import { Refusal } from './refusal';

/** Gives a place back; safe to call more than once. */
export type Release = () => void;

class OpenCount {
  private open = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Takes a place for `key`, or returns null when it has `max` already. */
  take(key: string): Release | null {
    const now = this.open.get(key) ?? 0;
    if (now >= this.max) return null;
    this.open.set(key, now + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
    };
  }
}

export class SocketCaps {
  private readonly perAddress: OpenCount;
  private readonly perLink: OpenCount;

  constructor(
    private readonly maxPerAddress: number,
    private readonly maxPerLink: number,
  ) {
    this.perAddress = new OpenCount(maxPerAddress);
    this.perLink = new OpenCount(maxPerLink);
  }

  admitAddress(address: string): Release {
    const release = this.perAddress.take(address);
    if (!release) throw new Refusal('too_many_connections', `Too many connections from this network (at most ${this.maxPerAddress.toLocaleString('en')}); close some pages and reload in a minute.`);
    return release;
  }

  /** `link` is the person the personal link belongs to. */
  admitLink(link: string): Release {
    const release = this.perLink.take(link);
    if (!release) throw new Refusal('too_many_connections', `This personal link is already open on ${this.maxPerLink} screens; close one of them, then reload this page.`);
    return release;
  }
}
