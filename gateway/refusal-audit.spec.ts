import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Caller } from '../shared/auth/caller';
import { HubMetrics } from '../shared/observability/metrics';
import { refusalAudit } from './refusal-audit';

/**
 * The gateway's side of a refusal's audit row (gateway/refusal-audit.ts), against a stand-in partner-agencies on
 * loopback: what it sends, and that a partner-agencies that does not answer, or refuses, never fails the caller's
 * answer — the report resolves, and the missing row is logged and counted by reason
 * (`hub_refusal_audit_failures_total`).
 */
const caller = { clientId: 'bp-fra', token: 'the-token' } as Caller;

interface Received {
  headers: http.IncomingHttpHeaders;
  body: unknown;
  path: string | undefined;
}

async function standIn(answer: (res: http.ServerResponse) => void) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
        path: req.url,
      });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    url,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The failure counter of a registry of the test's own, every reason (each starts at 0). */
async function failures(registry: HubMetrics): Promise<Record<string, number>> {
  const metric = registry.registry.getSingleMetric('hub_refusal_audit_failures_total');
  const { values } = await (metric as NonNullable<typeof metric>).get();
  return Object.fromEntries(values.map((v) => [String(v.labels.reason), v.value]));
}

function logger() {
  const warnings: { fields: Record<string, unknown>; message: string }[] = [];
  const log = {
    warn: (fields: Record<string, unknown>, message: string) => warnings.push({ fields, message }),
  } as unknown as Logger;
  return { log, warnings };
}

test('one report: the caller’s token, the gateway credential, the request id; each coordinate once, sorted, at most 50', async () => {
  const server = await standIn((res) => res.writeHead(201).end('{}'));
  const { log, warnings } = logger();
  const metrics = new HubMetrics();
  try {
    const report = refusalAudit({
      partnerAgenciesUrl: server.url,
      credential: 'cred',
      timeoutMs: 30_000,
      log,
      metrics,
    });
    const many = Array.from({ length: 60 }, (_, i) => `Query.f${String(i).padStart(2, '0')}`);
    await report({
      requestId: 'req-1',
      caller,
      operationName: 'Probe',
      coordinates: ['Query.f01', ...many.reverse()],
    });
    expect(server.received).toEqual([
      {
        path: '/internal/refusals',
        headers: expect.objectContaining({
          authorization: 'Bearer the-token',
          'x-gateway-credential': 'cred',
          'x-request-id': 'req-1',
          'content-type': 'application/json',
        }),
        body: {
          operation: 'Probe',
          fields: [...many].sort().slice(0, 50),
          omitted: 10,
        },
      },
    ]);
    expect(warnings).toEqual([]);
    expect(await failures(metrics)).toEqual({ timeout: 0, rejected: 0, unreachable: 0 });
  } finally {
    await server.close();
  }
});

test('partner-agencies refuses the report: the answer is not failed, the missing row is logged and counted', async () => {
  const server = await standIn((res) => res.writeHead(503).end('{}'));
  const { log, warnings } = logger();
  const metrics = new HubMetrics();
  try {
    const report = refusalAudit({
      partnerAgenciesUrl: server.url,
      credential: 'cred',
      timeoutMs: 30_000,
      log,
      metrics,
    });
    await expect(
      report({ requestId: 'req-2', caller, operationName: null, coordinates: ['Query.auditTrail'] }),
    ).resolves.toBeUndefined();
    expect(warnings).toEqual([
      {
        message: 'refusal not audited',
        fields: {
          requestId: 'req-2',
          clientId: 'bp-fra',
          operation: null,
          fields: ['Query.auditTrail'],
          reason: 'partner-agencies answered 503',
        },
      },
    ]);
    expect(await failures(metrics)).toEqual({ timeout: 0, rejected: 1, unreachable: 0 });
  } finally {
    await server.close();
  }
});

test('partner-agencies does not answer: the wait ends at the bound, the missing row is logged and counted', async () => {
  const server = await standIn(() => undefined); // never answers
  const { log, warnings } = logger();
  const metrics = new HubMetrics();
  try {
    const report = refusalAudit({
      partnerAgenciesUrl: server.url,
      credential: 'cred',
      timeoutMs: 100,
      log,
      metrics,
    });
    await expect(
      report({ requestId: 'req-3', caller, operationName: 'Slow', coordinates: ['Query.auditTrail'] }),
    ).resolves.toBeUndefined();
    expect(warnings.map((w) => w.fields.reason)).toEqual(['no answer within 100 ms']);
    expect(await failures(metrics)).toEqual({ timeout: 1, rejected: 0, unreachable: 0 });
  } finally {
    await server.close();
  }
});

test('partner-agencies is unreachable: logged and counted, not thrown', async () => {
  const server = await standIn((res) => res.end());
  const url = server.url;
  await server.close();
  const { log, warnings } = logger();
  const metrics = new HubMetrics();
  const report = refusalAudit({
    partnerAgenciesUrl: url,
    credential: 'cred',
    timeoutMs: 30_000,
    log,
    metrics,
  });
  await expect(
    report({ requestId: 'req-4', caller, operationName: 'Gone', coordinates: ['Query.auditTrail'] }),
  ).resolves.toBeUndefined();
  expect(warnings.map((w) => w.fields.reason)).toEqual(['partner-agencies unreachable']);
  expect(await failures(metrics)).toEqual({ timeout: 0, rejected: 0, unreachable: 1 });
});
