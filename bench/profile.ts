import fs from 'node:fs';
import path from 'node:path';

/**
 * Reads a V8 CPU profile (node --cpu-prof) and tells where the time went: self time per function and per
 * package (node_modules/<name>, the project's own folders, Node internals, garbage collection, idle).
 *
 *   node -r @swc-node/register bench/profile.ts <file.cpuprofile> [top]
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of samples that were not idle. */
  busyShare: number;
  byPackage: ProfileLine[];
  byFunction: ProfileLine[];
  /** Self time by the function and the callers above it (innermost first), to see where a hot spot is called from. */
  byStack: ProfileLine[];
}

const ROOT = path.resolve(__dirname, '..');

function packageOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return '(garbage collector)';
  if (functionName === '(idle)') return '(idle)';
  if (functionName === '(program)') return '(program: native, not attributed)';
  if (!url) return '(native / V8 builtins)';
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/')[0]}`;
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = file.slice(modules + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const relative = path.relative(ROOT, file);
  return relative.startsWith('..') ? file : `project: ${relative.split(path.sep).slice(0, 2).join('/')}`;
}

export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n.id);
  const frameName = (node: ProfileNode) =>
    `${node.callFrame.functionName || '(anonymous)'}${node.callFrame.url ? ` ${path.basename(node.callFrame.url)}:${node.callFrame.lineNumber + 1}` : ''}`;
  // The profiler's own work (stopping and serialising the profile, in the hub's toggle) is not the hub's.
  const profilerOwn = new Map<number, boolean>();
  const isProfilerOwn = (id: number): boolean => {
    const known = profilerOwn.get(id);
    if (known !== undefined) return known;
    const node = nodes.get(id);
    const parent = parents.get(id);
    const own = node?.callFrame.url === 'node:inspector' || (parent !== undefined && isProfilerOwn(parent));
    profilerOwn.set(id, own);
    return own;
  };
  const byStack = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = nodes.get(id);
    if (!node || isProfilerOwn(id)) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    total += us;
    if (functionName === '(idle)') idle += us;
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const where = url ? `${path.basename(url)}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'} ${where} [${pkg}]`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    if (functionName !== '(idle)' && functionName !== '(program)' && functionName !== '(garbage collector)') {
      const stack = [frameName(node)];
      for (let up = parents.get(id); up !== undefined && stack.length < 5; up = parents.get(up)) {
        const parent = nodes.get(up);
        if (parent && parent.callFrame.functionName !== '(root)') stack.push(frameName(parent));
      }
      const key = stack.join(' < ');
      byStack.set(key, (byStack.get(key) ?? 0) + us);
    }
  }
  const lines = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        ms: Math.round(us / 1000),
        share: Math.round((us / total) * 1000) / 10,
      }));
  return {
    totalMs: Math.round(total / 1000),
    busyShare: Math.round(((total - idle) / total) * 1000) / 10,
    byPackage: lines(byPackage),
    byFunction: lines(byFunction),
    byStack: lines(byStack).slice(0, 15),
  };
}

export function profileMarkdown(summary: ProfileSummary, title: string): string {
  const table = (lines: ProfileLine[], head: string) =>
    [
      `| ${head} | self ms | share |`,
      '|---|---:|---:|',
      ...lines.map((l) => `| ${l.name} | ${l.ms} | ${l.share}% |`),
    ].join('\n');
  return [
    `### ${title}`,
    '',
    `${summary.totalMs} ms sampled, ${summary.busyShare}% busy (not idle).`,
    '',
    table(summary.byPackage, 'package'),
    '',
    table(summary.byFunction, 'function'),
    '',
    table(summary.byStack, 'stack (innermost first)'),
    '',
  ].join('\n');
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: bench/profile.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(profileMarkdown(summarizeProfile(file, Number(top ?? 25)), path.basename(file)));
}
