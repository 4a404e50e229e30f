// Keeps the screen on while an event runs, so a phone on the table still shows its
// seat and a laptop on the projector never dims. Browsers drop the lock whenever the
// tab is hidden; it is asked for again when the tab comes back.

export class ScreenWakeLock {
  /** Whether the screen is being kept on right now. */
  held = $state(false);
  private sentinel: WakeLockSentinel | null = null;
  private wanted = false;
  private requesting = false;

  constructor() {
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', () => void this.acquire());
  }

  /** Say whether the screen should stay on; cheap to call on every change. */
  want(on: boolean): void {
    if (on === this.wanted) return;
    this.wanted = on;
    if (on) void this.acquire();
    else void this.release();
  }

  private async acquire(): Promise<void> {
    if (!this.wanted || this.sentinel || this.requesting || document.visibilityState !== 'visible') return;
    if (!('wakeLock' in navigator)) return;
    this.requesting = true;
    try {
      const sentinel = await navigator.wakeLock.request('screen');
      this.sentinel = sentinel;
      this.held = true;
      sentinel.addEventListener('release', () => {
        if (this.sentinel === sentinel) this.sentinel = null;
        this.held = false;
      });
      if (!this.wanted) await this.release();
    } catch {
      // Refused (battery saver, an old browser): the page still works, the screen may dim.
    } finally {
      this.requesting = false;
    }
  }

  private async release(): Promise<void> {
    const sentinel = this.sentinel;
    this.sentinel = null;
    this.held = false;
    try {
      await sentinel?.release();
    } catch {
      // Already released by the browser.
    }
  }
}

export const wakeLock = new ScreenWakeLock();
