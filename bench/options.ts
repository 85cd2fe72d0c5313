import path from 'node:path';
import { DEFAULT_HUB_LAYOUT, type HubLayout } from '../hub/config';
import { parseLayouts } from './layouts';

/** The command line of `npm run bench` (the usage is in bench/run.ts and bench/README.md). */
export interface Options {
  quick: boolean;
  sltd: number;
  durationSec: number;
  warmupSec: number;
  connections: number;
  only: Set<string> | null;
  profile: boolean;
  /** `--profile-process NAME`: in the pair and split layouts, the process --profile profiles (default gateway). */
  profileProcess: string;
  baseline: string | null;
  out: string;
  statementSample: number;
  operationChecks: number;
  /**
   * `--layouts single,pair,split`: the hub's process layouts to compare (bench/layouts.ts); default npm start's, or
   * single with --profile (the whole hub in the one process profiled; with --layouts pair, the gateway alone).
   */
  layouts: HubLayout[];
}

/** The text after `--name`, if the flag is there. */
export function flagValue(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

export function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const value = (name: string) => flagValue(argv, name);
  const number = (name: string, fallback: number) => {
    const text = value(name);
    if (text === undefined) return fallback;
    const parsed = Number(text.replace(/[_,]/g, ''));
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name}: not a positive number: ${text}`);
    return parsed;
  };
  const only = value('--only');
  return {
    quick,
    sltd: number('--sltd', quick ? 20_000 : 1_000_000),
    durationSec: number('--duration', quick ? 5 : 15),
    warmupSec: number('--warmup', quick ? 2 : 3),
    connections: number('--connections', 20),
    only: only ? new Set(only.split(',').map((s) => s.trim())) : null,
    profile: argv.includes('--profile'),
    profileProcess: value('--profile-process') ?? 'gateway',
    baseline: value('--baseline') ?? null,
    out: value('--out') ?? path.join(__dirname, 'results'),
    statementSample: number('--statement-requests', quick ? 20 : 100),
    operationChecks: number('--operation-checks', quick ? 20_000 : 1_000_000),
    // The CPU profiler runs inside the hub process, which is the whole hub only in the single layout.
    layouts: parseLayouts(value('--layouts'), argv.includes('--profile') ? 'single' : DEFAULT_HUB_LAYOUT),
  };
}
