// npm test runs this after `biome check .`: no line of tracked TypeScript or JavaScript source (tests included)
// is longer than 120 characters. The formatter wraps code and comments at 120 but leaves long string literals,
// SQL templates and regular expressions whole; this holds those to the same width. Exits 1 naming file:line.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX = 120;
const SOURCE = ['*.ts', '*.tsx', '*.mts', '*.cts', '*.js', '*.jsx', '*.mjs', '*.cjs'];

const files = execFileSync('git', ['ls-files', '-z', '--', ...SOURCE], { encoding: 'utf8' })
  .split('\0')
  .filter(Boolean);
const long = files.flatMap((file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, i) => ([...line].length > MAX ? [`${file}:${i + 1}: ${[...line].length} characters`] : [])),
);
if (long.length > 0) {
  console.error(`Lines over ${MAX} characters (break the string, SQL or regular expression):\n${long.join('\n')}`);
  process.exit(1);
}
