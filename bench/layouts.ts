import { HUB_LAYOUTS, type HubLayout } from '../hub/config';
import { cpuPerRequest, type ScenarioResult } from './report';

/**
 * `--layouts single,pair,split`: the hub in each process layout (hub/processes.ts), one after the other in one
 * run. The first layout runs every selected scenario; each further one runs again only the gateway rows of the
 * selected scenarios that compare layouts (1 and 1-full), with ids suffixed `@<layout>`. The hub's CPU is summed
 * over all its processes (/proc). The report puts the rows side by side, as ratios to the first layout.
 */
export const LAYOUT_SCENARIOS = new Set(['1', '1-full']);

export function parseLayouts(text: string | undefined, fallback: HubLayout): HubLayout[] {
  if (text === undefined) return [fallback];
  const layouts = text.split(',').map((s) => s.trim());
  for (const layout of layouts) {
    if (!(HUB_LAYOUTS as readonly string[]).includes(layout))
      throw new Error(`--layouts: unknown layout "${layout}" (${HUB_LAYOUTS.join(', ')})`);
  }
  return layouts as HubLayout[];
}

export interface LayoutRow {
  id: string;
  layout: string;
  client: string;
  requestsPerSec: number;
  p99Ms: number;
  hubCpuMsPerRequest: number | null;
  /** This layout's figure over the first layout's, same row. */
  throughputRatio: number | null;
  hubCpuRatio: number | null;
  loadAverage: [number, number];
}

export function layoutRows(results: readonly ScenarioResult[], layouts: readonly HubLayout[]): LayoutRow[] {
  if (layouts.length < 2) return [];
  const first = new Map(results.filter((r) => r.layout === layouts[0]).map((r) => [r.id, r]));
  const rows: LayoutRow[] = [];
  for (const base of first.values()) {
    if (base.layer !== 'gateway' || !LAYOUT_SCENARIOS.has(base.id.replace(/-bp$/, ''))) continue;
    for (const layout of layouts) {
      const row = layout === layouts[0] ? base : results.find((r) => r.id === `${base.id}@${layout}`);
      if (!row) continue;
      const cpu = cpuPerRequest(row, 'hub');
      const baseCpu = cpuPerRequest(base, 'hub');
      rows.push({
        id: base.id,
        layout,
        client: row.client,
        requestsPerSec: row.load.requestsPerSec,
        p99Ms: row.load.latencyMs.p99,
        hubCpuMsPerRequest: cpu,
        throughputRatio: ratio(row.load.requestsPerSec, base.load.requestsPerSec),
        hubCpuRatio: cpu !== null && baseCpu !== null ? ratio(cpu, baseCpu) : null,
        loadAverage: row.memory.loadAverage,
      });
    }
  }
  return rows;
}

const ratio = (value: number, base: number) => (base > 0 ? Math.round((value / base) * 100) / 100 : null);

export function layoutMarkdown(rows: readonly LayoutRow[]): string[] {
  if (rows.length === 0) return [];
  const lines = [
    '',
    `**Process layouts** (ratios to ${rows[0].layout}, same run; hub CPU summed over all its processes)`,
    '',
    '| # | layout | client | req/s | × req/s | p99 ms | hub CPU ms/req | × hub CPU | load avg |',
    '|---|---|---|---:|---:|---:|---:|---:|---|',
  ];
  const show = (v: number | null, digits = 2) => (v === null ? '—' : v.toFixed(digits));
  for (const r of rows)
    lines.push(
      `| ${r.id} | ${r.layout} | ${r.client} | ${r.requestsPerSec} | ${show(r.throughputRatio)} | ${r.p99Ms} | ` +
        `${show(r.hubCpuMsPerRequest)} | ${show(r.hubCpuRatio)} | ${r.loadAverage.join(' → ')} |`,
    );
  return lines;
}
