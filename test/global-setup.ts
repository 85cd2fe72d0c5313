import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

/**
 * Once per `npm test`: starts test/database-server.ts (a real PostgreSQL, migrated and seeded) and hands its URLs
 * and a signing key to every test file through environment variables.
 */
declare global {
  var __hubTestDatabaseServer: ChildProcess | undefined;
}

export default async function globalSetup(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'test/database-server.ts'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  globalThis.__hubTestDatabaseServer = child;
  const line = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`test database server exited with ${code}`)));
  });
  const started = JSON.parse(line) as { url: string; adminUrl: string; signingKey: unknown };
  process.env.HUB_TEST_DATABASE_URL = started.url;
  process.env.HUB_TEST_ADMIN_URL = started.adminUrl;
  process.env.HUB_TEST_SIGNING_KEY = JSON.stringify(started.signingKey);
}
