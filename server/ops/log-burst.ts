/**
 * A pass that logs one line per camera (a gap opened, an alarm raised) logs the first few one by
 * one and the rest as one line with their count by key: a county-wide outage, or a restart with
 * 100,000 cameras quiet, is then a few lines, not 100,000.
 */
export interface LogBurst {
  add(obj: object, key: string): void;
  /** Writes the summary line for what add() did not log (if anything). */
  flush(): void;
}

export function logBurst(log: (obj: object, msg: string) => void, msg: string, each = 20): LogBurst {
  let n = 0;
  const rest = new Map<string, number>();
  return {
    add(obj, key) {
      if (n++ < each) log(obj, msg);
      else rest.set(key, (rest.get(key) ?? 0) + 1);
    },
    flush() {
      if (n > each) log({ more: n - each, byKey: Object.fromEntries(rest) }, `${msg}: ${n - each} more`);
    },
  };
}
