import fs from 'node:fs';
import os from 'node:os';

/**
 * Peak memory of the processes under test, from /proc (Linux). The hub is one process: its VmHWM is its peak
 * resident set since it started. PostgreSQL is a postmaster and one process per connection, all mapping the
 * same shared buffers, so its footprint is sampled as private memory of every process plus the shared memory
 * once; VmHWM of its largest process is reported as well.
 */
export interface ProcessMemory {
  rssKb: number;
  hwmKb: number;
  anonKb: number;
  fileKb: number;
  shmemKb: number;
}

export function readProcessMemory(pid: number): ProcessMemory | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) : 0;
  };
  return {
    rssKb: field('VmRSS'),
    hwmKb: field('VmHWM'),
    anonKb: field('RssAnon'),
    fileKb: field('RssFile'),
    shmemKb: field('RssShmem'),
  };
}

/** CPU time (user + system) the process has used, in ms. */
export function readCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime), counted from the state field (3) after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

// USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK).
const CLOCK_TICKS = 100;

/** The pids whose parent is `parent` (PostgreSQL's backends and workers). */
export function childPids(parent: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

export interface MemoryPeaks {
  /** Peak VmRSS sampled while the window ran, per process label, in MiB. */
  peakRssMb: Record<string, number>;
  /** VmHWM at the end of the window (peak since the process started), in MiB. */
  hwmMb: Record<string, number>;
  /**
   * CPU time used during the window, per process label, in ms (PostgreSQL: all its processes; a backend that
   * exits loses at most one sampling interval). Less sensitive to a busy machine than throughput.
   */
  cpuMs: Record<string, number>;
  /** The machine's 1-minute load average at the start and at the end of the window. */
  loadAverage: [number, number];
}

export interface WatchedProcess {
  label: string;
  pid: number;
  /** Sum this process and its children as one server, shared memory counted once (PostgreSQL). */
  withChildren?: boolean;
}

const mb = (kb: number) => Math.round(kb / 102.4) / 10;

/** Samples the processes every `intervalMs` until stopped. */
export class MemorySampler {
  private readonly peaks = new Map<string, number>();
  /** Last CPU reading per label and pid, and the CPU used since start() per label. */
  private readonly lastCpu = new Map<string, Map<number, number>>();
  private readonly cpu = new Map<string, number>();
  private loadAtStart = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly processes: readonly WatchedProcess[],
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.peaks.clear();
    this.cpu.clear();
    this.lastCpu.clear();
    this.loadAtStart = os.loadavg()[0];
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): MemoryPeaks {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    const hwmMb: Record<string, number> = {};
    for (const p of this.processes) {
      const pids = p.withChildren ? [p.pid, ...childPids(p.pid)] : [p.pid];
      const hwm = Math.max(0, ...pids.map((pid) => readProcessMemory(pid)?.hwmKb ?? 0));
      hwmMb[p.withChildren ? `${p.label} (largest process)` : p.label] = mb(hwm);
    }
    const round = (v: number) => Math.round(v * 100) / 100;
    return {
      peakRssMb: Object.fromEntries([...this.peaks].map(([k, v]) => [k, mb(v)])),
      hwmMb,
      cpuMs: Object.fromEntries([...this.cpu].map(([k, v]) => [k, Math.round(v)])),
      loadAverage: [round(this.loadAtStart), round(os.loadavg()[0])],
    };
  }

  private sampleCpu(label: string, pids: readonly number[]): void {
    let last = this.lastCpu.get(label);
    if (!last) this.lastCpu.set(label, (last = new Map()));
    const first = !this.cpu.has(label);
    let used = this.cpu.get(label) ?? 0;
    for (const pid of pids) {
      const ms = readCpuMs(pid);
      if (ms === null) continue;
      const before = last.get(pid);
      // A process first seen after start() counts from zero (a new backend); at start() itself, from now.
      if (!first) used += ms - (before ?? 0);
      last.set(pid, ms);
    }
    this.cpu.set(label, used);
  }

  private sample(): void {
    for (const p of this.processes) {
      const pids = p.withChildren ? [p.pid, ...childPids(p.pid)] : [p.pid];
      this.sampleCpu(p.label, pids);
      let kb: number;
      if (p.withChildren) {
        const all = pids.map(readProcessMemory).filter((m) => m !== null);
        kb =
          all.reduce((sum, m) => sum + m.anonKb, 0) +
          Math.max(0, ...all.map((m) => m.shmemKb)) +
          Math.max(0, ...all.map((m) => m.fileKb));
      } else {
        kb = readProcessMemory(p.pid)?.rssKb ?? 0;
      }
      this.peaks.set(p.label, Math.max(this.peaks.get(p.label) ?? 0, kb));
    }
  }
}
