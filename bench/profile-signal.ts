import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

/**
 * SIGUSR2 starts the V8 CPU profiler, the next SIGUSR2 stops it and writes `window-<pid>-<n>.cpuprofile` to `dir`:
 * the bench profiles exactly its measured windows, not the process's start (node --cpu-prof profiles the whole
 * process). bench/hub-process.ts calls it for the single layout; in the pair and split layouts it gives this file
 * to its children as a preload (`-r`), so the bench can profile one of them alone (bench/hub.ts profileWindow).
 */
export function profileOnSignal(dir: string): void {
  const session = new Session();
  session.connect();
  let running = false;
  let written = 0;
  process.on('SIGUSR2', () => {
    const toggle = async () => {
      if (!running) {
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
        running = true;
        return;
      }
      const { profile } = await session.post('Profiler.stop');
      running = false;
      const file = profileFile(dir, process.pid, ++written);
      fs.writeFileSync(`${file}.part`, JSON.stringify(profile));
      fs.renameSync(`${file}.part`, file);
    };
    toggle().catch((error: unknown) => console.error('profiler:', error));
  });
}

export const profileFile = (dir: string, pid: number, n: number) =>
  path.join(dir, `window-${pid}-${n}.cpuprofile`);

// As a preload (`node -r bench/profile-signal.ts`) in a child of bench/hub-process.ts.
if (process.env.BENCH_PROFILE_DIR && module !== require.main && process.env.BENCH_PROFILE_PRELOAD === '1') {
  profileOnSignal(process.env.BENCH_PROFILE_DIR);
}
