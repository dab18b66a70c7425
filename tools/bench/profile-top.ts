/**
 * `node dist/tools/bench/profile-top.js <file.cpuprofile> [count]`: where a process spent its
 * CPU during a bench run (BENCH_CPU_PROF=1 writes the profiles): self time by function and by
 * package, from the V8 profile, without a browser.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function where(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:') || !url) return url ? 'node internals' : '(native / idle / gc)';
  const own = /\/dist\/(.*)$/.exec(url);
  return own ? `app: ${own[1].split('/').slice(0, 2).join('/')}` : url;
}

export function topOf(profile: Profile, count = 25): string {
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = selfMicros.get(node.id) ?? 0;
    if (!us) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const fn = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    byPackage.set(where(url), (byPackage.get(where(url)) ?? 0) + us);
  }
  const rows = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, us]) => `  ${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`)
      .join('\n');
  return `total ${(total / 1e6).toFixed(1)} s sampled\n\nby package:\n${rows(byPackage)}\n\nby function (self time):\n${rows(byFunction)}\n`;
}

if (require.main === module) {
  const [file, count] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node dist/tools/bench/profile-top.js <file.cpuprofile> [count]');
    process.exit(2);
  }
  console.log(topOf(JSON.parse(readFileSync(file, 'utf8')) as Profile, count ? Number(count) : 25));
}
