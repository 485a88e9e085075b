import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector, type CollectorConfig } from './server.js';

/** Everything written to this process's stdout while `work` runs. */
async function stdoutOf<T>(work: () => Promise<T>): Promise<{ result: T; written: string }> {
  const write = process.stdout.write;
  let written = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    return { result: await work(), written };
  } finally {
    process.stdout.write = write;
  }
}

describe('startCollector (the library)', () => {
  const running: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((collector) => collector.close()));
  });

  it('prints no keys: it hands the project it created to its caller, and none on a restart', async () => {
    const config: CollectorConfig = {
      host: '127.0.0.1',
      port: 0,
      db: join(mkdtempSync(join(tmpdir(), 'mcptrail-lib-')), 'lib.db'),
      sessionTimeoutMs: 60_000,
      adminToken: null,
      dashboardDir: null,
      logger: pino({ level: 'silent' }),
    };
    const { result: first, written } = await stdoutOf(() => startCollector(config));
    running.push(first);
    const project = first.createdProject!;
    expect(project).toEqual({
      id: expect.stringMatching(/^prj_/),
      name: 'default',
      writeKey: expect.stringMatching(/^mtw_/),
      readKey: expect.stringMatching(/^mtr_/),
    });
    expect(written).toBe('');
    const res = await fetch(`${first.url}/v1/project`, { headers: { authorization: `Bearer ${project.readKey}` } });
    expect(await res.json()).toEqual({ project: { id: project.id, name: 'default', createdAt: expect.any(String) } });

    await first.close();
    const second = await startCollector(config);
    running.push(second);
    expect(second.createdProject).toBeNull();
  });
});
