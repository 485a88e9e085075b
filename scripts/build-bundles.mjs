// Builds the SDK (tsup) and the dashboard (vite) unless their outputs are newer than
// everything they are built from: neither has an incremental mode like `tsc -b`, and
// rebuilding both took ~9 s of every `npm start` and `npm test` when nothing had changed.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const shared = ['package-lock.json', 'packages/protocol/src', 'packages/protocol/package.json'];

const BUNDLES = [
  {
    workspace: 'mcptrail',
    inputs: [
      ...shared,
      'packages/sdk/src',
      'packages/sdk/package.json',
      'packages/sdk/tsup.config.ts',
      'packages/sdk/tsconfig.json',
    ],
    outputs: ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts'].map((file) => `packages/sdk/dist/${file}`),
  },
  {
    workspace: '@mcptrail/dashboard',
    inputs: [
      ...shared,
      'packages/dashboard/src',
      'packages/dashboard/public',
      'packages/dashboard/index.html',
      'packages/dashboard/package.json',
      'packages/dashboard/vite.config.ts',
      'packages/dashboard/tsconfig.json',
    ],
    // Written last by vite (and the folder is emptied first), so it exists only after a whole build.
    outputs: ['packages/dashboard/dist/index.html'],
  },
];

/** Latest modification time of a file, or of any file under a folder; 0 when missing. */
function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

for (const bundle of BUNDLES) {
  const at = (path) => join(root, path);
  const built = Math.min(
    ...bundle.outputs.map((output) => statSync(at(output), { throwIfNoEntry: false })?.mtimeMs ?? 0),
  );
  if (built > Math.max(...bundle.inputs.map((input) => newest(at(input))))) continue;
  const result = spawnSync('npm', ['run', 'build', '--silent', '-w', bundle.workspace], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
