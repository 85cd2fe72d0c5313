import cliProgress from 'cli-progress';

/**
 * How a long import shows that it is moving: a bar with rows/s on a terminal, a plain line every few seconds
 * otherwise (logs, CI), nothing in tests.
 */
export interface Progress {
  start(totalBytes: number): void;
  update(bytes: number, lines: number): void;
  /** A step with no bar (the merge): one line. */
  step(text: string): void;
  stop(): void;
}

export const silentProgress: Progress = {
  start: () => undefined,
  update: () => undefined,
  step: () => undefined,
  stop: () => undefined,
};

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr, intervalMs = 5000): Progress {
  return stream.isTTY ? barProgress(stream) : lineProgress(stream, intervalMs);
}

function rate(lines: number, started: number): number {
  const seconds = (performance.now() - started) / 1000;
  return seconds > 0 ? Math.round(lines / seconds) : 0;
}

function barProgress(stream: NodeJS.WriteStream): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: ' {bar} {percentage}% | {lines} lines | {rate} rows/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  let running = false;
  return {
    start(totalBytes) {
      started = performance.now();
      running = true;
      bar.start(Math.max(totalBytes, 1), 0, { lines: 0, rate: 0 });
    },
    update(bytes, lines) {
      bar.update(bytes, { lines, rate: rate(lines, started) });
    },
    step(text) {
      if (running) {
        bar.stop();
        running = false;
      }
      stream.write(`${text}\n`);
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

function lineProgress(stream: NodeJS.WriteStream, intervalMs: number): Progress {
  let started = 0;
  let last = 0;
  let total = 1;
  return {
    start(totalBytes) {
      started = performance.now();
      last = started;
      total = Math.max(totalBytes, 1);
    },
    update(bytes, lines) {
      const now = performance.now();
      if (now - last < intervalMs) return;
      last = now;
      const percent = Math.min(100, Math.floor((bytes / total) * 100));
      stream.write(`import: ${lines} lines read (${percent}%), ${rate(lines, started)} rows/s\n`);
    },
    step(text) {
      stream.write(`${text}\n`);
    },
    stop: () => undefined,
  };
}
