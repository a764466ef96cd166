/**
 * One run at a time per key, and a call during a run makes one more run after it (calls during a
 * run coalesce). So the last run for a key starts after the last call: two refreshes of one camera
 * cannot finish out of order and leave the older read in force.
 */
export function keyedRuns(run: (key: string) => Promise<void>): (key: string) => Promise<void> {
  const running = new Map<string, { again: boolean; done: Promise<void> }>();
  return (key) => {
    const current = running.get(key);
    if (current) {
      current.again = true;
      return current.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          try {
            await run(key);
          } catch (err) {
            // A failed run is followed by the one asked for meanwhile, if any; else its error is the answer.
            if (!entry.again) throw err;
          }
        } while (entry.again);
      } finally {
        running.delete(key);
      }
    })();
    running.set(key, entry);
    return entry.done;
  };
}
