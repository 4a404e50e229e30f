// The chime at phase changes, drawn with Web Audio (no sound files to load). Browsers
// only let a page make sound after a tap or a key press, so the context is created or
// resumed on the first one; until then `unlocked` stays false and toggles say so.

const PREFERENCE_KEY = 'tablehop:sound';

export type ChimeKind = 'phase' | 'warning' | 'end';

/** Notes (Hz) of each chime, played one after another. */
const TUNES: Record<ChimeKind, number[]> = {
  phase: [659.25, 880], // E5 → A5: "look up"
  warning: [587.33], // D5, once: "a minute left"
  end: [880, 659.25, 523.25], // A5 → E5 → C5: "that's all"
};
const NOTE_GAP_S = 0.22;
const NOTE_DECAY_S = 1.4;

function readPreference(): boolean {
  try {
    return localStorage.getItem(PREFERENCE_KEY) !== 'off';
  } catch {
    return true;
  }
}

export class Chime {
  /** What the person chose (remembered on this device). */
  enabled = $state(readPreference());
  /** Whether the browser lets this page play sound yet. */
  unlocked = $state(false);
  private context: AudioContext | null = null;
  private listening = false;
  /** Sound was still blocked when the current tap began: that tap is for unlocking, not for switching off. */
  private lockedAtGesture = false;

  /** Starts listening for the first tap or key press that allows sound. Safe to call twice. */
  listen(): void {
    if (this.listening || typeof window === 'undefined') return;
    this.listening = true;
    const unlock = () => {
      this.lockedAtGesture = !this.unlocked;
      this.unlock();
    };
    window.addEventListener('pointerdown', unlock, { capture: true });
    window.addEventListener('keydown', unlock, { capture: true });
    // Some browsers (a kiosk-mode projector, say) allow sound without any gesture.
    this.unlock();
  }

  /** The sound button: switches sound on or off, or, while the browser still blocks it, just lets it play. */
  toggle(): void {
    const unlocking = this.enabled && this.lockedAtGesture;
    this.lockedAtGesture = false;
    if (unlocking) {
      this.unlock();
      void this.context?.resume().then(() => this.play('phase'));
      return;
    }
    this.enabled = !this.enabled;
    try {
      localStorage.setItem(PREFERENCE_KEY, this.enabled ? 'on' : 'off');
    } catch {
      // Not remembered; the choice still holds for this page.
    }
    if (this.enabled) {
      this.unlock();
      this.play('phase');
    }
  }

  play(kind: ChimeKind): void {
    if (!this.enabled) return;
    const context = this.context;
    if (!context || context.state !== 'running') return;
    const start = context.currentTime + 0.02;
    TUNES[kind].forEach((frequency, i) => this.bell(context, frequency, start + i * NOTE_GAP_S));
  }

  private unlock(): void {
    const Context = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Context) return;
    try {
      this.context ??= new Context();
    } catch {
      return;
    }
    const context = this.context;
    const update = () => (this.unlocked = context.state === 'running');
    context.onstatechange = update;
    if (context.state === 'suspended') void context.resume().then(update, update);
    update();
  }

  /** A soft bell: the note and a quieter octave above, fading out. */
  private bell(context: AudioContext, frequency: number, at: number): void {
    const gain = context.createGain();
    gain.connect(context.destination);
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.35, at + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + NOTE_DECAY_S);
    for (const [multiple, level] of [
      [1, 1],
      [2, 0.25],
    ] as const) {
      const oscillator = context.createOscillator();
      const partial = context.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency * multiple;
      partial.gain.value = level;
      oscillator.connect(partial).connect(gain);
      oscillator.start(at);
      oscillator.stop(at + NOTE_DECAY_S);
    }
  }
}

export const chime = new Chime();

/** A short buzz where the browser allows it (phones, after the first tap). */
export function vibrate(): void {
  try {
    navigator.vibrate?.([180, 90, 180]);
  } catch {
    // Not allowed here; the chime and the screen still tell.
  }
}
