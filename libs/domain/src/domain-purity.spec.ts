import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The domain library is bundled into Temporal workflow code, a deterministic sandbox:
 * it may import nothing but itself, and may not read the clock or draw random numbers.
 * Lint may say the same; this test keeps the rule even where lint is not run.
 */
const SRC = __dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('domain purity', () => {
  const files = sourceFiles(SRC);

  it('finds the library sources', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((f) => [f.slice(SRC.length + 1), f]))('%s imports only relative modules', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
    expect(specifiers.filter((s) => !s.startsWith('./') && !s.startsWith('../'))).toEqual([]);
  });

  it.each(files.map((f) => [f.slice(SRC.length + 1), f]))('%s does not read the clock or randomness', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/Date\.now\(|new Date\(\s*\)|Math\.random\(|performance\.now\(|\bprocess\.\w/);
  });
});
