import fs from 'node:fs';
import { parse } from 'yaml';
import { MIGRATE_VARIABLES } from '../db/migrate-all';
import { GATEWAY_VARIABLES } from '../gateway/config';
import { SUBGRAPH_VARIABLES } from '../shared/subgraph/config';
import { SUBGRAPHS } from '../subgraphs';
import { PARTNER_AGENCIES_VARIABLES } from '../subgraphs/partner-agencies/config';

/**
 * There is no Docker engine on the build machines, so docker-compose.yml is checked by reading it: the services
 * exist, their commands point at compiled entry points that exist in the sources, their ports and URLs agree with
 * the code's defaults, and every environment variable they set is one the process actually reads.
 */
interface Service {
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
}
const compose = parse(fs.readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};

const sourceOf = (command: string[] | undefined) =>
  (command?.[1] ?? '').replace(/^dist\//, '').replace(/\.js$/, '.ts');

describe('docker-compose.yml', () => {
  test('runs PostgreSQL, the migrate step, the four subgraphs and the gateway, plus the demo seed', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'document-alerts',
        'gateway',
        'migrate',
        'notices',
        'partner-agencies',
        'postgres',
        'seed',
        'travel-documents',
      ].sort(),
    );
  });

  test('the migrate service runs the one migrate step once PostgreSQL is healthy, with known variables only', () => {
    const migrate = compose.services.migrate;
    expect(migrate.command).toEqual(['node', 'dist/scripts/migrate.js']);
    expect(fs.existsSync(sourceOf(migrate.command))).toBe(true);
    expect(Object.keys(migrate.environment ?? {}).filter((key) => !MIGRATE_VARIABLES.includes(key))).toEqual(
      [],
    );
    expect(migrate.environment?.DATABASE_URL).toMatch(/^postgres:\/\/.+@postgres:5432\/hub$/);
    expect(migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  test.each(['partner-agencies', 'notices', 'travel-documents', 'document-alerts', 'seed'])(
    '%s starts only after the migrate step succeeded, and does not migrate itself',
    (name) => {
      const service = compose.services[name];
      expect(service.depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
      });
      expect(service.environment?.MIGRATE_ON_START).toBeUndefined();
      expect(service.environment?.NODE_ENV).toBe(name === 'seed' ? 'development' : 'production');
    },
  );

  test.each(SUBGRAPHS.map((s) => [s.module.name, s.defaultPort] as const))(
    'subgraph %s runs its entry point on port %i with known variables only',
    (name, port) => {
      const service = compose.services[name];
      expect(service.command).toEqual(['node', 'dist/subgraphs/main.js', name]);
      expect(fs.existsSync(sourceOf(service.command))).toBe(true);
      const env = service.environment ?? {};
      expect(env.PORT).toBe(String(port));
      const known = new Set([
        ...SUBGRAPH_VARIABLES,
        ...(name === 'partner-agencies' ? PARTNER_AGENCIES_VARIABLES : []),
      ]);
      expect(Object.keys(env).filter((key) => !known.has(key))).toEqual([]);
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/.+@postgres:5432\/hub$/);
    },
  );

  test('the gateway reaches each subgraph by its service name and port, with known variables only', () => {
    const gateway = compose.services.gateway;
    expect(fs.existsSync(sourceOf(gateway.command))).toBe(true);
    expect(gateway.ports).toEqual(['4000:4000']);
    const env = gateway.environment ?? {};
    expect(Object.keys(env).filter((key) => !GATEWAY_VARIABLES.includes(key))).toEqual([]);
    for (const { module, defaultPort, urlVariable } of SUBGRAPHS) {
      expect(env[urlVariable]).toBe(`http://${module.name}:${defaultPort}/graphql`);
    }
  });

  test('the seed service runs a script that exists', () => {
    expect(fs.existsSync(sourceOf(compose.services.seed.command))).toBe(true);
  });
});
