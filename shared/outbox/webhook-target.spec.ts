import { stubResolver } from '../../test/stub-resolver';
import {
  checkWebhookTarget,
  LOOPBACK_CIDRS,
  parseCidrs,
  type OutboundPolicy,
  type Resolver,
} from './webhook-target';

/**
 * The outbound rule, judged without a single packet: host names go to a stubbed resolver, and nothing here
 * connects anywhere (docs/security.md, "Outbound calls").
 */
const production: OutboundPolicy = {
  allowLocalHttp: false,
  allowedHosts: [],
  allowedCidrs: [],
  resolveTimeoutMs: 50,
};
const development: OutboundPolicy = {
  ...production,
  allowLocalHttp: true,
  allowedCidrs: parseCidrs(LOOPBACK_CIDRS),
};

const noResolver = stubResolver({});

describe('webhook targets', () => {
  test.each([
    ['http://2130706433/', 'resolves to 127.0.0.1, in the loopback range, which webhooks may not reach'],
    ['https://0x7f.1/', 'resolves to 127.0.0.1, in the loopback range, which webhooks may not reach'],
    ['https://017700000001/', 'resolves to 127.0.0.1, in the loopback range, which webhooks may not reach'],
    ['https://[::1]/', 'resolves to ::1, in the loopback range, which webhooks may not reach'],
    [
      'https://[::ffff:127.0.0.1]/',
      'resolves to 127.0.0.1, in the loopback range, which webhooks may not reach',
    ],
    ['https://10.0.0.1/', 'resolves to 10.0.0.1, in the private range, which webhooks may not reach'],
    ['https://172.16.5.4/', 'resolves to 172.16.5.4, in the private range, which webhooks may not reach'],
    ['https://192.168.1.1/', 'resolves to 192.168.1.1, in the private range, which webhooks may not reach'],
    [
      'https://[::ffff:10.0.0.1]/',
      'resolves to 10.0.0.1, in the private range, which webhooks may not reach',
    ],
    [
      'https://169.254.169.254/latest/',
      'resolves to 169.254.169.254, in the link-local range, which webhooks may not reach',
    ],
    [
      'https://100.64.0.1/',
      'resolves to 100.64.0.1, in the carrier-grade NAT range, which webhooks may not reach',
    ],
    ['https://0.0.0.0/', 'resolves to 0.0.0.0, in the unspecified range, which webhooks may not reach'],
    ['https://224.0.0.1/', 'resolves to 224.0.0.1, in the multicast range, which webhooks may not reach'],
    [
      'https://255.255.255.255/',
      'resolves to 255.255.255.255, in the broadcast range, which webhooks may not reach',
    ],
    ['https://[::]/', 'resolves to ::, in the unspecified range, which webhooks may not reach'],
    ['https://[fe80::1]/', 'resolves to fe80::1, in the link-local range, which webhooks may not reach'],
    ['https://[fc00::1]/', 'resolves to fc00::1, in the unique-local range, which webhooks may not reach'],
    [
      'https://[fd12:3456::1]/',
      'resolves to fd12:3456::1, in the unique-local range, which webhooks may not reach',
    ],
    ['https://[ff02::1]/', 'resolves to ff02::1, in the multicast range, which webhooks may not reach'],
    [
      'https://[64:ff9b::a00:1]/',
      'resolves to 64:ff9b::a00:1, in the rfc6052 range, which webhooks may not reach',
    ],
    ['https://[2002:a00::1]/', 'resolves to 2002:a00::1, in the 6to4 range, which webhooks may not reach'],
    ['https://192.0.2.1/', 'resolves to 192.0.2.1, in the reserved range, which webhooks may not reach'],
  ])('%s is refused in production: %s', async (url, reason) => {
    expect(await checkWebhookTarget(url, production, noResolver)).toEqual({ ok: false, reason });
    expect(noResolver.asked).toEqual([]);
  });

  test('every address a name resolves to is checked, and one internal address refuses the name', async () => {
    const resolve = stubResolver({ 'hooks.partner.example': ['93.184.215.14', '10.0.0.7'] });
    expect(await checkWebhookTarget('https://hooks.partner.example/in', production, resolve)).toEqual({
      ok: false,
      reason: 'resolves to 10.0.0.7, in the private range, which webhooks may not reach',
    });
    expect(resolve.asked).toEqual(['hooks.partner.example']);
  });

  test('a public name is accepted with the address that was checked, to connect to exactly that one', async () => {
    const resolve = stubResolver({ 'hooks.partner.example': ['2606:4700::6810:84e5', '93.184.215.14'] });
    const check = await checkWebhookTarget('https://Hooks.Partner.example:8443/in?x=1', production, resolve);
    expect(check).toEqual({
      ok: true,
      target: {
        url: new URL('https://hooks.partner.example:8443/in?x=1'),
        address: '2606:4700::6810:84e5',
        family: 6,
      },
    });
    expect(resolve.asked).toEqual(['hooks.partner.example']);
  });

  test('a name that does not resolve, or not in time, is refused', async () => {
    expect(await checkWebhookTarget('https://nowhere.example/', production, noResolver)).toEqual({
      ok: false,
      reason: 'has a host name that does not resolve',
    });
    const hanging: Resolver = () => new Promise(() => undefined);
    expect(await checkWebhookTarget('https://slow.example/', production, hanging)).toEqual({
      ok: false,
      reason: 'has a host name that does not resolve',
    });
  });

  test('configuration may allow address ranges and host names, and nothing more', async () => {
    const resolve = stubResolver({ 'hooks.bureau.internal': ['10.20.0.5'], 'other.internal': ['10.30.0.5'] });
    const policy = {
      ...production,
      allowedCidrs: parseCidrs('10.1.0.0/16, fd00:1::/32'),
      allowedHosts: ['hooks.bureau.internal'],
    };
    expect(await checkWebhookTarget('https://10.1.2.3/', policy, resolve)).toMatchObject({ ok: true });
    expect(await checkWebhookTarget('https://[fd00:1::5]/', policy, resolve)).toMatchObject({ ok: true });
    expect(await checkWebhookTarget('https://hooks.bureau.internal/', policy, resolve)).toMatchObject({
      ok: true,
      target: { address: '10.20.0.5' },
    });
    expect(await checkWebhookTarget('https://10.2.0.1/', policy, resolve)).toMatchObject({ ok: false });
    expect(await checkWebhookTarget('https://other.internal/', policy, resolve)).toMatchObject({ ok: false });
  });

  test('development and tests allow loopback only, and plain http only there', async () => {
    const resolve = stubResolver({
      localhost: ['127.0.0.1', '::1'],
      'hooks.partner.example': ['93.184.215.14'],
    });
    expect(await checkWebhookTarget('http://127.0.0.1:8080/hooks', development, resolve)).toMatchObject({
      ok: true,
      target: { address: '127.0.0.1', family: 4 },
    });
    expect(await checkWebhookTarget('http://localhost:8080/', development, resolve)).toMatchObject({
      ok: true,
    });
    expect(await checkWebhookTarget('http://[::1]:8080/', development, resolve)).toMatchObject({ ok: true });
    expect(await checkWebhookTarget('http://hooks.partner.example/', development, resolve)).toEqual({
      ok: false,
      reason: 'must be an https:// URL',
    });
    expect(await checkWebhookTarget('https://192.168.0.10/', development, resolve)).toMatchObject({
      ok: false,
    });
    expect(await checkWebhookTarget('https://169.254.169.254/', development, resolve)).toMatchObject({
      ok: false,
    });
  });

  test.each([
    ['not a url', 'is not a URL'],
    ['ftp://hooks.partner.example/', 'must be an https:// URL'],
    ['https://user:pw@hooks.partner.example/', 'must not carry credentials'],
  ])('%s is refused: %s', async (url, reason) => {
    expect(await checkWebhookTarget(url, production, noResolver)).toEqual({ ok: false, reason });
  });

  test('a range in configuration that is not one is named', () => {
    expect(() => parseCidrs('127.0.0.0/8,10.0.0.0')).toThrow(
      '"10.0.0.0" is not an address range like 10.0.0.0/8',
    );
  });
});
