import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { deriveIngestKey } from './ingest-signature';

const ROOT = join(__dirname, '..', '..', '..');
const SECRET = 'cli-ingest-secret';

function runCli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'libs/auth/src/ingest-key.cli.ts',
      ...args,
    ],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DUBAN_INGEST_SECRET: SECRET } },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('ingest-key CLI', () => {
  it('prints only the key on stdout, the one the services derive, and its key id on stderr', () => {
    const { status, stdout, stderr } = runCli('--unit', 'AGRI', '--region', '511112');
    expect(status).toBe(0);
    expect(stdout).toBe(
      `${deriveIngestKey(SECRET, { region: '511112', unit: 'AGRI', version: 1 })}\n`,
    );
    expect(stderr).toContain('key id (header duban-key-id): 511112:AGRI:1');
  });

  it('gives the next version a key of its own', () => {
    const { stdout } = runCli('--unit', 'AGRI', '--region', '511112', '--key-version', '2');
    expect(stdout.trim()).toBe(
      deriveIngestKey(SECRET, { region: '511112', unit: 'AGRI', version: 2 }),
    );
  });

  it('refuses what the consumers would refuse, with its usage and exit code 2', () => {
    for (const args of [
      ['--unit', 'agri', '--region', '511112'],
      ['--unit', 'AGRI'],
    ]) {
      const { status, stdout, stderr } = runCli(...args);
      expect(status).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('usage: npm run -s ingest-key');
    }
  });
});
