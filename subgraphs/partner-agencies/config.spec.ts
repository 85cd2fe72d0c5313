import { ConfigError, loadConfig } from '../../shared/config';
import { parseCidrs } from '../../shared/outbox/webhook-target';
import { webhookEnvironment } from './config';

/** Where webhooks may go, as configuration decides it (docs/security.md, "Outbound calls"). */
describe('webhook outbound configuration', () => {
  test('production allows no internal address and no plain http unless told', () => {
    expect(loadConfig(webhookEnvironment, { NODE_ENV: 'production' }).outbound).toEqual({
      allowLocalHttp: false,
      allowedHosts: [],
      allowedCidrs: [],
      resolveTimeoutMs: 3000,
    });
  });

  test('development and tests allow loopback only', () => {
    for (const NODE_ENV of ['development', 'test']) {
      expect(loadConfig(webhookEnvironment, { NODE_ENV }).outbound).toEqual({
        allowLocalHttp: true,
        allowedHosts: [],
        allowedCidrs: parseCidrs('127.0.0.0/8,::1/128'),
        resolveTimeoutMs: 3000,
      });
    }
  });

  test('an operator names the exceptions', () => {
    const env = loadConfig(webhookEnvironment, {
      NODE_ENV: 'production',
      WEBHOOK_ALLOWED_CIDRS: '10.20.0.0/16, fd00:1::/32',
      WEBHOOK_ALLOWED_HOSTS: 'Hooks.Bureau.internal,',
      WEBHOOK_CONNECT_TIMEOUT_MS: '1500',
    });
    expect(env.outbound).toEqual({
      allowLocalHttp: false,
      allowedHosts: ['hooks.bureau.internal'],
      allowedCidrs: parseCidrs('10.20.0.0/16,fd00:1::/32'),
      resolveTimeoutMs: 1500,
    });
  });

  test('a range that is not one stops the process, naming the variable', () => {
    const load = () => loadConfig(webhookEnvironment, { WEBHOOK_ALLOWED_CIDRS: '10.0.0.0/8,intranet' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow('WEBHOOK_ALLOWED_CIDRS: "intranet" is not an address range like 10.0.0.0/8');
  });

  test('a lease shorter than a delivery stops the process: two workers could send one event at once', () => {
    expect(() =>
      loadConfig(webhookEnvironment, { WEBHOOK_LEASE_MS: '5000', WEBHOOK_TIMEOUT_MS: '5000' }),
    ).toThrow(/WEBHOOK_LEASE_MS: must exceed 2 × WEBHOOK_CONNECT_TIMEOUT_MS \+ WEBHOOK_TIMEOUT_MS/);
    expect(loadConfig(webhookEnvironment, {})).toMatchObject({
      WEBHOOK_LEASE_MS: 60_000,
      WEBHOOK_CONCURRENCY: 10,
    });
  });
});
