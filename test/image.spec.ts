import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SERVING_NODE_FLAGS } from '../hub/processes';
import { ensureBuilt, ROOT } from './build';

/**
 * The image and docker-compose.yml, checked by reading them (no Docker engine on the build machines): every file
 * and command they name exists in what `npm run build` produces, nothing runs TypeScript at run time, the image
 * runs as a non-root user with production dependencies only and a node-based HEALTHCHECK, and every hub service
 * runs with a read-only root filesystem (tmpfs for /tmp) and a health check.
 */
interface Service {
  build?: string;
  command?: string[];
  read_only?: boolean;
  tmpfs?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
}
const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const hubServices = Object.entries(compose.services).filter(([, service]) => service.build === '.');
/** One-shot services: they run to their end, so there is nothing to health-check. */
const ONE_SHOT = ['migrate', 'seed'];

/** The final stage's instructions (after the last FROM), continuation lines joined. */
const runtimeStage = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .filter((line) => line.trim() && !line.trim().startsWith('#'))
  .reduce<string[]>((stage, line) => (/^FROM /i.test(line) ? [line] : [...stage, line]), []);
const instruction = (name: string) => runtimeStage.filter((line) => line.startsWith(`${name} `));
const execForm = (line: string) => JSON.parse(line.slice(line.indexOf('['))) as string[];

/** Every `dist/...` file a command names. */
const distFiles = (command: string[]) => command.filter((arg) => arg.startsWith('dist/'));

beforeAll(() => ensureBuilt(), 300_000);

describe('Dockerfile', () => {
  test('the runtime stage copies the build’s dist, production node_modules and the supergraph', () => {
    expect(dockerfile).toMatch(/npm run build && npm run build:explorer && npm prune --omit=dev/);
    const copies = instruction('COPY').map((line) => line.split(/\s+/).filter((w) => !w.startsWith('--')));
    expect(copies.flatMap((words) => words.slice(1, -1))).toEqual(
      expect.arrayContaining([
        '/app/node_modules',
        '/app/dist',
        '/app/package.json',
        '/app/supergraph.graphql',
      ]),
    );
    for (const file of ['dist', 'package.json', 'supergraph.graphql'])
      expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
  });

  test('runs compiled JavaScript as a non-root user, with a node-based health check', () => {
    expect(instruction('ENV')).toContain('ENV NODE_ENV=production');
    // The V8 flags npm start gives the processes that serve (hub/processes.ts).
    expect(instruction('ENV')).toContain(`ENV NODE_OPTIONS=${SERVING_NODE_FLAGS.join(' ')}`);
    const [user] = instruction('USER');
    // Numeric, so that Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
    expect(user).toMatch(/^USER [1-9][0-9]*:[1-9][0-9]*$/);
    const [cmd] = instruction('CMD');
    const [healthcheck] = instruction('HEALTHCHECK');
    for (const command of [execForm(cmd), execForm(healthcheck)]) {
      expect(command[0]).toBe('node');
      expect(command.join(' ')).not.toMatch(/swc|ts-node|tsx|\.ts\b/);
      for (const file of distFiles(command)) expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
    }
    expect(execForm(cmd)).toEqual(['node', 'dist/gateway/main.js']);
    expect(execForm(healthcheck)).toEqual(['node', 'dist/scripts/healthcheck.js']);
  });
});

describe('docker-compose.yml', () => {
  test.each(hubServices)('%s runs a compiled entry point that the build produces', (_name, service) => {
    const command = service.command ?? [];
    expect(command[0]).toBe('node');
    expect(distFiles(command)).toHaveLength(1);
    for (const file of distFiles(command)) expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
  });

  test.each(hubServices)('%s has a read-only root filesystem with a tmpfs /tmp', (_name, service) => {
    expect(service.read_only).toBe(true);
    expect(service.tmpfs).toEqual(['/tmp']);
  });

  test.each(hubServices.filter(([name]) => !ONE_SHOT.includes(name)))(
    '%s has the image’s health check',
    (_name, service) => {
      const test = service.healthcheck?.test ?? [];
      expect(test).toEqual(['CMD', 'node', 'dist/scripts/healthcheck.js']);
      expect(fs.existsSync(path.join(ROOT, test[2]))).toBe(true);
    },
  );

  test.each(ONE_SHOT)('%s, a one-shot service, turns the image’s health check off', (name) => {
    expect(compose.services[name].healthcheck).toEqual({ disable: true });
  });
});
