import { bulkhead, BulkheadRejectedError } from 'cockatiel';

/**
 * At most `concurrency` secret verifications (argon2: tens of milliseconds of CPU and 19 MiB each) run at once in
 * this process; up to `queue` more wait, each at most `queueTimeoutMs`. Anything beyond is refused at once, so a
 * flood of guesses costs the process a bounded amount of CPU and memory and the event loop stays free.
 */
export interface VerificationGateSettings {
  concurrency: number;
  queue: number;
  queueTimeoutMs: number;
}

/** The gate is full, or the wait in its queue ran out: answered 503 with Retry-After. */
export class VerificationBusyError extends Error {
  constructor(readonly reason: 'full' | 'timeout') {
    super(reason === 'full' ? 'too many secret verifications waiting' : 'waited too long to verify');
  }
}

export interface VerificationGate {
  run<T>(verify: () => Promise<T>): Promise<T>;
  /** Verifications running now (tests, metrics). */
  readonly active: number;
}

export function createVerificationGate(settings: VerificationGateSettings): VerificationGate {
  const policy = bulkhead(settings.concurrency, settings.queue);
  return {
    get active() {
      return settings.concurrency - policy.executionSlots;
    },
    run<T>(verify: () => Promise<T>): Promise<T> {
      if (policy.executionSlots === 0 && policy.queueSlots === 0)
        return Promise.reject(new VerificationBusyError('full'));
      // The signal ends only the wait: once a verification has started it runs to its end (argon2 cannot be
      // interrupted), and a queued one whose caller has given up is skipped by the bulkhead.
      const waiting = new AbortController();
      let started = false;
      const execution = policy.execute(() => {
        started = true;
        return verify();
      }, waiting.signal);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          if (started) return;
          waiting.abort();
          reject(new VerificationBusyError('timeout'));
        }, settings.queueTimeoutMs);
        execution.then(
          (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(error instanceof BulkheadRejectedError ? new VerificationBusyError('full') : error);
          },
        );
      });
    },
  };
}
