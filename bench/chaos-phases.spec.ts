import { phasesOf, type Outcome, type Sample } from './chaos-phases';

/**
 * The chaos run's bookkeeping (bench/chaos.ts), on a made-up timeline: which phase a request is counted in decides
 * whether the baseline looks faulty and whether a phase after a fault counts as recovered.
 */
const MARKS = [
  { name: 'baseline', at: 0 },
  { name: 'document-alerts frozen (SIGSTOP)', at: 5_000 },
  { name: 'document-alerts resumed (SIGCONT)', at: 15_000 },
  { name: 'document-alerts killed (SIGKILL)', at: 30_000 },
  { name: 'document-alerts restarted', at: 37_000 },
  { name: 'end', at: 52_000 },
];
const HANG_BOUND_MS = 12_000;
const TIMEOUT = 'SUBGRAPH_UNAVAILABLE TIMEOUT';
const UNREACHABLE = 'SUBGRAPH_UNAVAILABLE UNREACHABLE';

const sample = (start: number, end: number, outcome: Outcome = 'full', codes: string[] = []): Sample => ({
  start,
  end,
  outcome,
  codes,
});

/** Full answers every 100 ms from `from` to `to`, each taking 60 ms. */
const steady = (from: number, to: number): Sample[] => {
  const samples: Sample[] = [];
  for (let start = from; start + 60 < to; start += 100) samples.push(sample(start, start + 60));
  return samples;
};

const phase = (samples: Sample[], name: string) => {
  const found = phasesOf(samples, MARKS, HANG_BOUND_MS).find((p) => p.name === name);
  if (!found) throw new Error(`no phase ${name}`);
  return found;
};

describe('a request is counted in the fault it ran into, not in the phase it was sent in', () => {
  // Sent 40 ms before the freeze: travel-documents answered, then the alerts fetch met the frozen subgraph and
  // the gateway's 5 s timeout ended it.
  const straddlingFreeze = sample(4_960, 9_990, 'partial', [TIMEOUT]);
  // Sent 30 ms before the kill: its alerts fetch found the connection reset.
  const straddlingKill = sample(29_970, 30_020, 'partial', [UNREACHABLE]);
  const samples = [
    ...steady(0, 4_960),
    straddlingFreeze,
    sample(5_100, 10_100, 'partial', [TIMEOUT]),
    sample(10_200, 10_210, 'partial', ['SUBGRAPH_UNAVAILABLE CIRCUIT_OPEN']),
    // After SIGCONT: the circuit still open for a moment, then full answers.
    sample(15_050, 15_060, 'partial', ['SUBGRAPH_UNAVAILABLE CIRCUIT_OPEN']),
    ...steady(18_000, 29_970),
    straddlingKill,
    sample(30_100, 30_110, 'partial', [UNREACHABLE]),
    ...steady(37_000, 52_000),
  ];

  test('the baseline holds only the requests that ran before the fault: all full', () => {
    const baseline = phase(samples, 'baseline');
    expect(baseline.requests).toBe(steady(0, 4_960).length);
    expect(baseline.partial).toBe(0);
    expect(baseline.errorRate).toBe(0);
    expect(baseline.codes).toEqual({});
  });

  test('the frozen phase holds the request sent just before the freeze, with its timeout', () => {
    const frozen = phase(samples, 'document-alerts frozen (SIGSTOP)');
    expect(frozen).toMatchObject({
      requests: 3,
      full: 0,
      partial: 3,
      errorRate: 1,
      hung: 0,
      codes: { [TIMEOUT]: 2, 'SUBGRAPH_UNAVAILABLE CIRCUIT_OPEN': 1 },
    });
    expect(frozen.latencyMs.max).toBe(straddlingFreeze.end - straddlingFreeze.start);
  });

  test('a request sent just before the kill does not make the phase before it unrecovered', () => {
    const resumed = phase(samples, 'document-alerts resumed (SIGCONT)');
    expect(resumed.partial).toBe(1);
    // Recovered when the first of the unbroken run of full answers (sent at 18 s, 60 ms) completed.
    expect(resumed.recoveryMs).toBe(18_060 - 15_000);
    expect(phase(samples, 'document-alerts killed (SIGKILL)')).toMatchObject({
      requests: 2,
      partial: 2,
      codes: { [UNREACHABLE]: 2 },
    });
  });

  test('a phase that still ends on failures is not recovered', () => {
    const failing = [...samples, sample(51_900, 51_950, 'partial', [UNREACHABLE])];
    expect(phase(failing, 'document-alerts restarted').recoveryMs).toBeNull();
    expect(phase(samples, 'document-alerts restarted').recoveryMs).toBe(60);
  });

  test('every request is counted once', () => {
    const total = phasesOf(samples, MARKS, HANG_BOUND_MS).reduce((sum, p) => sum + p.requests, 0);
    expect(total).toBe(samples.length);
  });

  test('a request longer than the hang bound is hung, in whichever phase', () => {
    const hung = phase(
      [...samples, sample(31_000, 31_000 + HANG_BOUND_MS + 1, 'hung')],
      'document-alerts killed (SIGKILL)',
    );
    expect(hung.hung).toBe(1);
  });
});
