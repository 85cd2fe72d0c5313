import { summarize, type Latency } from './load';

/** How bench/chaos.ts counts its samples: which phase of the timeline each request belongs to, and recovery. */
export type Outcome = 'full' | 'partial' | 'failed' | 'wrong' | 'hung';

export interface Sample {
  /** ms since the load started. */
  start: number;
  end: number;
  outcome: Outcome;
  /**
   * extensions.code of the answer's errors with the gateway's extensions.reason if any (`SUBGRAPH_UNAVAILABLE
   * TIMEOUT`), or `HTTP <status>` / `transport`.
   */
  codes: string[];
}

export interface ChaosPhase {
  name: string;
  fault: string | null;
  fromMs: number;
  toMs: number;
  requests: number;
  full: number;
  partial: number;
  failed: number;
  wrong: number;
  hung: number;
  /** Share of answers that were not full (partial, failed, wrong or hung). */
  errorRate: number;
  /** Share of answers without the verdicts (failed, wrong or hung). */
  failureRate: number;
  latencyMs: Latency;
  codes: Record<string, number>;
  /** After a fault is removed: ms from its removal until the first of an unbroken run of full answers completed. */
  recoveryMs?: number | null;
}

const FAULTS: Record<string, string> = {
  'document-alerts frozen (SIGSTOP)': 'subgraph frozen',
  'document-alerts killed (SIGKILL)': 'subgraph dead (until restarted)',
  'PostgreSQL stopped': 'database down',
};
const RECOVERIES = new Set([
  'document-alerts resumed (SIGCONT)',
  'document-alerts restarted',
  'PostgreSQL started',
]);

/**
 * Cuts the samples into the timeline's phases; after each fault, measures the recovery.
 *
 * A request belongs to the fault whose window it overlaps, whenever it started: a check sent 50 ms before the
 * subgraph is frozen makes its alerts fetch after the freeze and answers SUBGRAPH_UNAVAILABLE 5 s later, and a check
 * sent just before the subgraph is killed loses its alerts to the kill. Counted by start time alone, such requests
 * made the baseline look faulty (a timeout "without a fault") and left the phase before each fault ending on
 * failures, so that it never counted as recovered. Any other request belongs to the phase it started in; so the
 * phases after a fault hold only requests that ran entirely after its removal and before the next fault.
 */
export function phasesOf(
  samples: Sample[],
  marks: { name: string; at: number }[],
  hangBoundMs: number,
): ChaosPhase[] {
  const windows = marks.slice(0, -1).map(({ name, at }, i) => ({ name, fromMs: at, toMs: marks[i + 1].at }));
  const byPhase = new Map<string, Sample[]>(windows.map((w) => [w.name, []]));
  for (const sample of samples) {
    const fault = windows.find((w) => FAULTS[w.name] && sample.start < w.toMs && sample.end > w.fromMs);
    const home = fault ?? windows.find((w) => sample.start >= w.fromMs && sample.start < w.toMs);
    byPhase.get(home?.name ?? '')?.push(sample);
  }
  return windows.map(({ name, fromMs, toMs }) => {
    const inPhase = byPhase.get(name)!.sort((a, b) => a.start - b.start);
    const count = (outcome: Outcome) => inPhase.filter((s) => s.outcome === outcome).length;
    const hung = inPhase.filter((s) => s.outcome === 'hung' || s.end - s.start > hangBoundMs).length;
    const full = count('full');
    const codes: Record<string, number> = {};
    for (const sample of inPhase)
      for (const code of new Set(sample.codes)) codes[code] = (codes[code] ?? 0) + 1;
    const latencies = inPhase.map((s) => s.end - s.start);
    const share = (n: number) => (inPhase.length ? Math.round((n / inPhase.length) * 1000) / 1000 : 0);
    const phase: ChaosPhase = {
      name,
      fault: FAULTS[name] ?? null,
      fromMs: Math.round(fromMs),
      toMs: Math.round(toMs),
      requests: inPhase.length,
      full,
      partial: count('partial'),
      failed: count('failed'),
      wrong: count('wrong'),
      hung,
      errorRate: share(inPhase.length - full),
      failureRate: share(count('failed') + count('wrong') + count('hung')),
      latencyMs: summarize(latencies, latencies.length),
      codes,
    };
    if (RECOVERIES.has(name)) {
      // The first request after the last answer that was not full marks the recovery (null: answers were still
      // not all full at the end of the phase).
      const lastBad = inPhase.findLastIndex((s) => s.outcome !== 'full');
      const firstGood = inPhase[lastBad + 1];
      phase.recoveryMs = firstGood ? Math.max(0, Math.round(firstGood.end - fromMs)) : null;
    }
    return phase;
  });
}
