import fs from 'node:fs';
import { MIGRATE_VARIABLES } from '../db/migrate-all';
import { GATEWAY_VARIABLES, gatewayEnvironment } from '../gateway/config';
import { HUB_VARIABLES, hubEnvironment } from '../hub/config';
import { ConfigError, loadConfig } from '../shared/config';
import { RETENTION_VARIABLES } from '../shared/retention/config';
import {
  auditChainKeysFromEnvironment,
  DEV_AUDIT_CHAIN,
  DEV_AUDIT_CHAIN_KEYS,
  parseAuditChainKeys,
} from '../shared/audit/config';
import { SUBGRAPH_VARIABLES, subgraphEnvironment } from '../shared/subgraph/config';
import { parseLsn, readReplicaOf } from '../db/read-router';
import { PARTNER_AGENCIES_VARIABLES, WEBHOOK_VARIABLES } from '../subgraphs/partner-agencies/config';

describe('configuration', () => {
  test('.env.example lists exactly the variables the processes read', () => {
    const listed = fs
      .readFileSync('.env.example', 'utf8')
      .split('\n')
      .map((line) => /^([A-Z_]+)=/.exec(line)?.[1])
      .filter((name): name is string => Boolean(name));
    const read = new Set([
      ...GATEWAY_VARIABLES,
      ...HUB_VARIABLES,
      ...SUBGRAPH_VARIABLES,
      ...PARTNER_AGENCIES_VARIABLES,
      ...WEBHOOK_VARIABLES,
      ...RETENTION_VARIABLES,
      ...MIGRATE_VARIABLES,
      'TEST_DATABASE_URL',
    ]);
    expect([...new Set(listed)].sort()).toEqual([...read].sort());
  });

  test('a wrong value stops the process with every problem, each naming its variable', () => {
    const load = () =>
      loadConfig(gatewayEnvironment, {
        PORT: 'forty',
        NOTICES_URL: 'not a url',
        AUTHORIZATION_MODE: 'maybe',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/PORT: .*\n.*NOTICES_URL: .*\n.*AUTHORIZATION_MODE: /);
  });

  test('production refuses to start without its secrets', () => {
    expect(() => loadConfig(hubEnvironment, { NODE_ENV: 'production' })).toThrow(
      /AUDIT_CHAIN_KEYS: is required in production[\s\S]*DATABASE_URL: is required in production[\s\S]*AUTH_SIGNING_KEY: is required in production[\s\S]*GATEWAY_CREDENTIAL: is required in production/,
    );
  });

  describe('the audit chain keys', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://hub@db:5432/hub',
      GATEWAY_CREDENTIAL: 'x'.repeat(32),
    };
    const keysOf = (env: Record<string, string>) =>
      loadConfig(subgraphEnvironment(4001), env).AUDIT_CHAIN_KEYS;

    test('a subgraph in production refuses to start without keys, or with the development key', () => {
      expect(() => keysOf(production)).toThrow('AUDIT_CHAIN_KEYS: is required in production (id=secret,…)');
      expect(() => keysOf({ ...production, AUDIT_CHAIN_KEYS: DEV_AUDIT_CHAIN_KEYS })).toThrow(
        'AUDIT_CHAIN_KEYS: the development key is refused in production',
      );
      const keys = `2025=${'a'.repeat(32)},2026=${'b'.repeat(32)}`;
      expect(keysOf({ ...production, AUDIT_CHAIN_KEYS: keys })).toBe(keys);
    });

    test('malformed keys are refused everywhere, each problem naming the key id and never the secret', () => {
      const load = () =>
        loadConfig(hubEnvironment, {
          AUDIT_CHAIN_KEYS: `ok=${'s'.repeat(32)},bad id=${'t'.repeat(32)},short=hunter2,ok=${'u'.repeat(32)}`,
        });
      expect(load).toThrow(
        'AUDIT_CHAIN_KEYS: key "bad id": the id must be 1-64 of A-Z a-z 0-9 . _ -; ' +
          'key "short": the secret must be at least 32 characters; key "ok": listed twice',
      );
      expect(load).not.toThrow(/hunter2/);
    });

    test('the last key listed signs; every listed key verifies', () => {
      const keys = parseAuditChainKeys(`2026=${'b'.repeat(32)},1=${'a'.repeat(32)}`);
      expect(keys.signing).toBe('1');
      expect([...keys.secrets.keys()]).toEqual(['2026', '1']);
      expect(auditChainKeysFromEnvironment({})).toBe(DEV_AUDIT_CHAIN);
    });
  });

  test('development needs nothing at all', () => {
    const config = loadConfig(hubEnvironment, {});
    expect(config).toMatchObject({ PORT: 4000, AUTHORIZATION_MODE: 'filter', TOKEN_TTL_SECONDS: 300 });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  test('a subgraph migrates at start outside production only, unless MIGRATE_ON_START says otherwise', () => {
    const base = { DATABASE_URL: 'postgres://hub@db:5432/hub' };
    const production = {
      ...base,
      NODE_ENV: 'production',
      GATEWAY_CREDENTIAL: 'x'.repeat(32),
      AUDIT_CHAIN_KEYS: `k=${'k'.repeat(32)}`,
    };
    const migrates = (env: Record<string, string>) =>
      loadConfig(subgraphEnvironment(4001), env).MIGRATE_ON_START;
    expect(migrates(base)).toBe(true);
    expect(migrates({ ...base, MIGRATE_ON_START: 'false' })).toBe(false);
    expect(migrates(production)).toBe(false);
    expect(migrates({ ...production, MIGRATE_ON_START: '' })).toBe(false);
    expect(migrates({ ...production, MIGRATE_ON_START: 'true' })).toBe(true);
  });

  test('a read replica is optional; a subgraph takes its URL and bounds, each wrong value named', () => {
    const base = { DATABASE_URL: 'postgres://hub@db:5432/hub' };
    const load = (env: Record<string, string>) => loadConfig(subgraphEnvironment(4002), { ...base, ...env });
    expect(readReplicaOf(load({}))).toBeNull();
    expect(readReplicaOf(load({ DATABASE_READ_URL: '' }))).toBeNull();
    expect(readReplicaOf(load({ DATABASE_READ_URL: 'postgres://hub@db-ro:5432/hub' }))).toEqual({
      url: 'postgres://hub@db-ro:5432/hub',
      maxLagMs: 2000,
      checkIntervalMs: 250,
    });
    expect(() => load({ DATABASE_READ_URL: 'db-ro:5432' })).toThrow(
      'DATABASE_READ_URL: must be a postgres:// URL',
    );
    expect(() =>
      load({
        DATABASE_READ_URL: 'postgres://hub@db-ro/hub',
        DB_READ_MAX_LAG_MS: '500',
        DB_READ_CHECK_INTERVAL_MS: '500',
      }),
    ).toThrow('DB_READ_CHECK_INTERVAL_MS: must be shorter than DB_READ_MAX_LAG_MS');
    expect(() => load({ DB_READ_MAX_LAG_MS: '0' })).toThrow(/DB_READ_MAX_LAG_MS: /);
  });

  test('LSNs compare as numbers', () => {
    expect(parseLsn('0/16B3748')).toBe(0x16b3748n);
    expect(parseLsn('16/B374D848')! > parseLsn('9/FFFFFFFF')!).toBe(true);
    expect(parseLsn(null)).toBeNull();
  });
});
