import pino from 'pino';
import type { RunningHttpServer } from '../http/server';
import { BoundedLabel, HubMetrics, MAX_OPERATION_NAMES } from './metrics';
import { acceptRequestId } from './request-log';
import { DUPLICATE_SIGNAL_MS, installGracefulShutdown } from './shutdown';

const silent = pino({ level: 'silent' });

describe('request ids', () => {
  test("a client's well-formed id is kept; anything else is replaced by a UUID", () => {
    expect(acceptRequestId('abc-DEF_123')).toBe('abc-DEF_123');
    expect(acceptRequestId(['first-id', 'second'])).toBe('first-id');
    expect(acceptRequestId('x'.repeat(100))).toBe('x'.repeat(100));
    for (const bad of [undefined, '', 'x'.repeat(101), 'with space', 'semi;colon', 'new\nline', 'é']) {
      expect(acceptRequestId(bad)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });
});

describe('metric labels', () => {
  test('keep the first distinct values up to the cap; later or malformed ones become "other"', () => {
    const label = new BoundedLabel(2, /^[a-z]+$/);
    expect(['a', 'b', 'c', 'a', 'B'].map((v) => label.value(v))).toEqual(['a', 'b', 'other', 'a', 'other']);
  });

  test(`operation names: ${MAX_OPERATION_NAMES} series at most, anonymous operations named so`, async () => {
    const metrics = new HubMetrics();
    for (let i = 0; i < MAX_OPERATION_NAMES + 50; i++) {
      metrics.recordRequest({
        service: 'gateway',
        operation: metrics.operationLabel(`Op${i}`),
        status: 200,
        durationSeconds: 0.01,
        errorCodes: [],
      });
    }
    expect(metrics.operationLabel(null)).toBe('anonymous');
    expect(metrics.operationLabel('Op0')).toBe('Op0');
    expect(metrics.operationLabel(`Op${MAX_OPERATION_NAMES}`)).toBe('other');
    expect(metrics.operationLabel('A'.repeat(101))).toBe('other');
    const text = await metrics.registry.metrics();
    const series = text.split('\n').filter((line) => line.startsWith('hub_requests_total{'));
    expect(series).toHaveLength(MAX_OPERATION_NAMES + 1);
    expect(text).toContain('hub_requests_total{service="gateway",operation="other",status="200"} 50');
  });
});

describe('graceful shutdown', () => {
  const server = (inFlight: number) => {
    const fake = { inFlight, forceClose: jest.fn() };
    return fake as unknown as RunningHttpServer & { forceClose: jest.Mock };
  };

  test('stops, then exits 0; a duplicate signal right after the first is ignored', async () => {
    const exit = jest.fn();
    let finish: () => void = () => undefined;
    const stop = jest.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const shutdown = installGracefulShutdown({
      log: silent,
      graceMs: 10_000,
      servers: () => [server(1)],
      stop,
      exit,
      signals: [],
    });
    const first = shutdown('SIGINT');
    await shutdown('SIGINT');
    expect(exit).not.toHaveBeenCalled();
    finish();
    await first;
    expect(stop).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(0);
  });

  test('when the grace period is over, the remaining connections are closed', async () => {
    jest.useFakeTimers();
    try {
      const exit = jest.fn();
      const servers = [server(1), server(0)];
      let finish: () => void = () => undefined;
      const shutdown = installGracefulShutdown({
        log: silent,
        graceMs: 500,
        servers: () => servers,
        stop: () => new Promise<void>((resolve) => (finish = resolve)),
        exit,
        signals: [],
      });
      const done = shutdown('SIGTERM');
      jest.advanceTimersByTime(499);
      expect(servers[0].forceClose).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(servers[0].forceClose).toHaveBeenCalled();
      expect(servers[1].forceClose).toHaveBeenCalled();
      // A second signal well after the first exits at once.
      jest.advanceTimersByTime(DUPLICATE_SIGNAL_MS);
      await shutdown('SIGTERM');
      expect(exit).toHaveBeenCalledWith(1);
      finish();
      await done;
    } finally {
      jest.useRealTimers();
    }
  });
});
