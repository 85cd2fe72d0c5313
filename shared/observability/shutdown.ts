import type { Logger } from 'pino';
import type { RunningHttpServer } from '../http/server';
import { safeErrorFields } from '../logger';

/**
 * Graceful shutdown of one process (gateway, subgraph or the whole hub): on SIGTERM or SIGINT it stops accepting
 * connections, lets the requests in flight finish (their audit rows are written before their response, so a
 * finished request is an audited one), closes the database pools and exits 0. Requests still running after
 * SHUTDOWN_GRACE_MS have their connections closed. A second signal exits at once, unless it comes within
 * {@link DUPLICATE_SIGNAL_MS} of the first: Ctrl-C under `npm start` reaches the process twice (from the terminal
 * and forwarded by npm), as does a signal sent to a whole process group.
 */
export interface ShutdownOptions {
  log: Logger;
  graceMs: number;
  /** The HTTP servers to cut off when the grace period is over (read when the signal comes). */
  servers: () => RunningHttpServer[];
  /** Stops everything in order: HTTP servers (which drain), then pools, tracing, the embedded database. */
  stop: () => Promise<void>;
  exit?: (code: number) => void;
  signals?: NodeJS.Signals[];
}

/** How long `stop` may still run once the connections were cut, before the process exits anyway. */
const AFTER_GRACE_MS = 5_000;
export const DUPLICATE_SIGNAL_MS = 2_000;

export function installGracefulShutdown(options: ShutdownOptions): (signal: string) => Promise<void> {
  const { log, graceMs } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stoppingSince: number | null = null;
  const shutdown = async (signal: string) => {
    if (stoppingSince !== null) {
      if (Date.now() - stoppingSince < DUPLICATE_SIGNAL_MS) return;
      log.warn({ signal }, 'second signal: exiting now');
      exit(1);
      return;
    }
    stoppingSince = Date.now();
    const servers = options.servers();
    const inFlight = servers.reduce((sum, s) => sum + s.inFlight, 0);
    log.info({ signal, inFlight, graceMs }, 'shutting down: finishing requests in flight');
    const cutOff = setTimeout(() => {
      const left = servers.reduce((sum, s) => sum + s.inFlight, 0);
      log.warn({ inFlight: left }, 'grace period over: closing the remaining connections');
      for (const server of servers) server.forceClose();
    }, graceMs);
    const deadline = setTimeout(() => {
      log.error('shutdown did not complete: exiting');
      exit(1);
    }, graceMs + AFTER_GRACE_MS);
    cutOff.unref();
    deadline.unref();
    try {
      await options.stop();
      log.info('stopped');
      exit(0);
    } catch (error) {
      log.error({ err: safeErrorFields(error) }, 'shutdown failed');
      exit(1);
    } finally {
      clearTimeout(cutOff);
      clearTimeout(deadline);
    }
  };
  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => void shutdown(signal));
  }
  return shutdown;
}
