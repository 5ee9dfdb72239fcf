/**
 * Rate-limited logging (issue 11, item 4): on a full disk one delivery error repeated without end
 * wrote 50 MB of logs. Each key (one kind of message for one target, say) logs at most `perWindow`
 * lines per window; what it had to drop is told once, in one line, when the window ends.
 */
export interface LineLogger {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

type Level = 'warn' | 'error';

interface KeyState {
  windowEnds: number;
  logged: number;
  dropped: number;
  /** Set at the first dropped line: writes the notice when the window ends. */
  timer?: NodeJS.Timeout;
}

export interface LimitedLogOptions {
  /** Lines per key and window. @defaultValue 5 */
  perWindow?: number;
  /** @defaultValue 10 000 */
  windowMs?: number;
}

/** Past this many keys, those whose window ended quietly are forgotten. */
const MAX_KEYS = 1000;

export class LimitedLog {
  private readonly keys = new Map<string, KeyState>();
  private readonly perWindow: number;
  private readonly windowMs: number;

  constructor(
    private readonly log: LineLogger,
    options: LimitedLogOptions = {},
  ) {
    this.perWindow = options.perWindow ?? 5;
    this.windowMs = options.windowMs ?? 10_000;
  }

  /** Whether a line for `key` would be written now (so a caller may skip gathering its fields). */
  admits(key: string, now = Date.now()): boolean {
    const state = this.keys.get(key);
    return !state || state.windowEnds <= now || state.logged < this.perWindow;
  }

  warn(key: string, fields: object, message: string): void {
    this.write('warn', key, fields, message);
  }

  error(key: string, fields: object, message: string): void {
    this.write('error', key, fields, message);
  }

  private write(level: Level, key: string, fields: object, message: string): void {
    const now = Date.now();
    let state = this.keys.get(key);
    if (!state || state.windowEnds <= now) {
      if (this.keys.size >= MAX_KEYS) this.forgetQuiet(now);
      state = { windowEnds: now + this.windowMs, logged: 0, dropped: 0 };
      this.keys.set(key, state);
    }
    if (state.logged < this.perWindow) {
      state.logged++;
      this.log[level](fields, message);
      return;
    }
    state.dropped++;
    if (state.timer) return;
    const ended = state;
    ended.timer = setTimeout(() => {
      // The notice carries the fields of the first line dropped, and how many were.
      this.log[level]({ ...fields, suppressed: ended.dropped }, `${message} (${ended.dropped} more like this not logged in ${this.windowMs} ms)`);
      if (this.keys.get(key) === ended) this.keys.delete(key);
    }, ended.windowEnds - now);
    ended.timer.unref();
  }

  private forgetQuiet(now: number): void {
    for (const [key, state] of this.keys) if (state.windowEnds <= now && !state.timer) this.keys.delete(key);
  }
}
