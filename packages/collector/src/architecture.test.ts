/**
 * docs/ARCHITECTURE.md's table of collector folders says what each may import;
 * this test reads the table and holds every source file to it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));
const TABLE = readFileSync(join(SRC, '../../../docs/ARCHITECTURE.md'), 'utf8');

/** Folder → allowed imports, from the rows `| \`folder/\` | role | \`a\`, \`b\` … |`. */
function rules(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const line of TABLE.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const folder = /^`([a-z-]+\/)`$/.exec(cells[1] ?? '')?.[1];
    if (!folder || cells.length < 5) continue;
    found.set(
      folder,
      [...(cells.at(-2) ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!),
    );
  }
  return found;
}

/** Every specifier a file imports: static, side-effect, re-exported, dynamic, or required; either quote. */
export function importsOf(source: string): string[] {
  // `from` as a keyword: after a space or `}` and before one (a quoted 'from' is not an import).
  const pattern = /(?:(?<=[\s}])from\s+|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g;
  return [...source.matchAll(pattern)].map((m) => m[2]!);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.contract.ts') ? [path] : [];
  });
}

/** What an import reaches, as the table names it: a folder (`storage/`), a root file (`server.ts`), or a package. */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  const reached = relative(SRC, join(dirname(file), specifier)).split(sep);
  return reached.length > 1 ? `${reached[0]}/` : reached[0]!.replace(/\.js$/, '.ts');
}

function allowed(entries: string[], reached: string): boolean {
  return entries.some((entry) =>
    entry === 'node:*'
      ? reached.startsWith('node:')
      : reached === entry || (!entry.endsWith('/') && reached.startsWith(`${entry}/`)),
  );
}

describe('the collector folders import only what docs/ARCHITECTURE.md allows', () => {
  const table = rules();
  const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());

  it('has a row for every folder', () => {
    expect(folders.map((folder) => `${folder}/`).filter((folder) => !table.has(folder))).toEqual([]);
  });

  it.each(folders)('%s/', (folder) => {
    const entries = table.get(`${folder}/`) ?? [];
    const offences: string[] = [];
    for (const file of sourceFiles(join(SRC, folder))) {
      for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
        const reached = target(file, specifier);
        if (reached !== `${folder}/` && !allowed(entries, reached))
          offences.push(`${relative(SRC, file)} imports ${specifier}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('sees every form of import', () => {
    const source =
      `import a from './a.js'; import "b"; export { c } from "c"; const d = await import('d'); ` +
      `const e = require("e"); import type { F } from 'f'; type T = 'from' | 'to';`;
    expect(importsOf(source)).toEqual(['./a.js', 'b', 'c', 'd', 'e', 'f']);
  });
});
