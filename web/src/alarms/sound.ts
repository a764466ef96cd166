/** The optional alarm tone (Web Audio, no asset) and the user's choice, kept in localStorage. */
const KEY = 'skyeye.alarmSound';

export const soundPreference = {
  get(): boolean {
    try {
      return window.localStorage.getItem(KEY) === 'on';
    } catch {
      return false;
    }
  },
  set(on: boolean): void {
    try {
      window.localStorage.setItem(KEY, on ? 'on' : 'off');
    } catch {
      // private mode: the choice lasts for this page only
    }
  },
};

let ctx: AudioContext | null = null;

/** Two short beeps; silent where audio is unavailable or not yet allowed by the browser. */
export function playAlarmTone(): void {
  try {
    ctx ??= new AudioContext();
    const start = ctx.currentTime;
    for (const offset of [0, 0.25]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.15, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, start + offset + 0.18);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + offset);
      osc.stop(start + offset + 0.2);
    }
  } catch {
    // no audio
  }
}
