/**
 * Pins on the built package (run `npm run build -w mcptrail` first): no MCP
 * SDK, zod or fastmcp import in shipped code, both entry points load with no
 * dependency installed at all, and the public surface is what index.ts says.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SDK_NAME, SDK_VERSION } from './internal/version.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const built = ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts'];

describe('the built package', () => {
  it('exists (build before testing)', () => {
    for (const file of built)
      expect(existsSync(join(dist, file)), `${file} missing: run npm run build -w mcptrail`).toBe(true);
  });

  it('imports nothing from the MCP SDKs, zod or fastmcp, statically or dynamically by name', () => {
    for (const file of built) {
      const text = readFileSync(join(dist, file), 'utf8');
      expect(text).not.toMatch(/(from|import|require)\s*\(?\s*["']@modelcontextprotocol\//);
      expect(text).not.toMatch(/(from|import|require)\s*\(?\s*["'](zod|fastmcp|@mcptrail\/protocol)["']/);
    }
  });

  it('loads as ESM and CJS with no dependency installed, with the same surface', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcptrail-pkg-'));
    const pkg = join(dir, 'node_modules', 'mcptrail');
    mkdirSync(pkg, { recursive: true });
    cpSync(dist, join(pkg, 'dist'), { recursive: true });
    cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
    writeFileSync(
      join(dir, 'esm.mjs'),
      "import * as m from 'mcptrail'; console.log(JSON.stringify(Object.keys(m).sort()));",
    );
    writeFileSync(
      join(dir, 'cjs.cjs'),
      "const m = require('mcptrail'); console.log(JSON.stringify(Object.keys(m).sort()));",
    );
    const esm = execFileSync(process.execPath, ['esm.mjs'], { cwd: dir, encoding: 'utf8' });
    const cjs = execFileSync(process.execPath, ['cjs.cjs'], { cwd: dir, encoding: 'utf8' });
    const surface = ['deliveryStats', 'flush', 'shutdown', 'track'];
    expect(JSON.parse(esm)).toEqual(surface);
    expect(JSON.parse(cjs)).toEqual(surface);
  });

  it('reports the name and version of package.json', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      dependencies?: object;
    };
    expect([SDK_NAME, SDK_VERSION]).toEqual([pkg.name, pkg.version]);
    expect(pkg.dependencies ?? {}).toEqual({});
  });
});
