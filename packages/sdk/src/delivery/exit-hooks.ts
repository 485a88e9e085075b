import { globalState } from '../internal/global-state.js';
import { debug, logOnce } from '../internal/log.js';

/** How long the exit drain may take before the process goes its way. */
export const EXIT_DRAIN_MS = 2000;
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * A bounded drain on `beforeExit`, SIGTERM and SIGINT. It never hangs the exit
 * (timers unref'd, EXIT_DRAIN_MS at most) and never swallows a signal: when
 * no one else listens for it, the signal is raised again after the drain so
 * the default behaviour (exit) happens.
 */
export function installExitHooks(drain: (timeoutMs: number) => Promise<void>, pendingEvents: () => number): void {
  if (typeof process === 'undefined' || typeof process.once !== 'function') return;
  const global = globalState();
  if (global.exitHooksInstalled) return;
  global.exitHooksInstalled = true;

  let beforeExitRounds = 0;
  process.on('beforeExit', () => {
    // Each drain that does some work brings the loop back; three rounds at most.
    if (beforeExitRounds >= 3 || pendingEvents() === 0) return;
    beforeExitRounds++;
    void drain(EXIT_DRAIN_MS).catch(() => undefined);
  });

  process.on('exit', () => {
    const left = pendingEvents();
    if (left > 0)
      logOnce('exit-undelivered', `${left} event(s) not delivered at exit (collector unreachable or drain cut short)`);
  });

  for (const signal of SIGNALS) {
    const onSignal = () => {
      const othersListen = process.listenerCount(signal) > 0;
      debug(`${signal}: draining for at most ${EXIT_DRAIN_MS} ms`);
      const keepAlive = setTimeout(() => undefined, EXIT_DRAIN_MS + 100);
      void drain(EXIT_DRAIN_MS)
        .catch(() => undefined)
        .finally(() => {
          clearTimeout(keepAlive);
          // Others decide what the signal means; alone, we restore the default (exit).
          if (!othersListen) process.kill(process.pid, signal);
        });
    };
    // First in line: a host's `once` handler is removed as it runs, so by our turn it would no longer count as
    // listening and we would end the process under its graceful shutdown.
    process.prependOnceListener(signal, onSignal);
  }
}
