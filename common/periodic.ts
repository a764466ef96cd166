/**
 * Runs an async task every `ms`, never two at once (a slow pass delays the next instead of
 * overlapping it). The timer does not hold the process open; stop() waits for a running pass.
 */
export interface Periodic {
  stop(): Promise<void>;
}

export function every(ms: number, task: () => Promise<unknown>, onError: (err: unknown) => void): Periodic {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = task()
      .catch(onError)
      .finally(() => {
        running = null;
      });
  }, ms);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
