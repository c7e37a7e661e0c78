import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { verifyToken } from './token';

const ROOT = join(__dirname, '..', '..', '..');
const SECRET = 'cli-test-secret';

function runCli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'libs/auth/src/token.cli.ts',
      ...args,
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        DUBAN_AUTH_SECRET: SECRET,
        DUBAN_AUTH_MAX_TOKEN_LIFETIME: '12h',
        NODE_ENV: 'test',
      },
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('token CLI', () => {
  it('prints exactly one token that verifies with DUBAN_AUTH_SECRET', () => {
    const { status, stdout } = runCli(
      '--role',
      'department',
      '--unit',
      'DRC',
      '--region',
      '511112',
    );
    expect(status).toBe(0);
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(verifyToken(stdout.trim(), SECRET)).toEqual({
      subject: expect.stringMatching(/^drc-[0-9a-f]{8}$/),
      role: 'department',
      unit: 'DRC',
      region: '511112',
    });
  });

  it('gives each token its own subject and id', () => {
    const [a, b] = [1, 2].map(() => {
      const { stdout } = runCli('--role', 'supervisor');
      return JSON.parse(Buffer.from(stdout.split('.')[1], 'base64url').toString());
    });
    expect(a.sub).toMatch(/^supervisor-[0-9a-f]{8}$/);
    expect(a.sub).not.toBe(b.sub);
    expect(a.jti).not.toBe(b.jti);
  });

  it('issues tokens for the maximum lifetime (12 h) unless told less', () => {
    const { stdout } = runCli('--role', 'admin');
    const payload = JSON.parse(Buffer.from(stdout.split('.')[1], 'base64url').toString());
    expect(payload.exp - payload.iat).toBe(12 * 3600);
  });

  it('reads a bare --expires as seconds', () => {
    const { stdout } = runCli('--role', 'admin', '--subject', 'ops', '--expires', '60');
    const payload = JSON.parse(Buffer.from(stdout.split('.')[1], 'base64url').toString());
    expect(payload.exp - payload.iat).toBe(60);
    expect(payload.sub).toBe('ops');
  });

  it.each([
    [['--role', 'department'], /must carry a unit/],
    [['--role', 'department', '--unit', 'DRC'], /must carry a region/],
    [['--role', 'admin', '--expires', '30d'], /may live at most 12h .*; 30d asked/],
    [['--role', 'admin', '--expires', 'tomorrow'], /got tomorrow/],
    [['--role', 'admin', '--subject', ''], /subject must be a non-empty string/],
    [['--role', 'admin', 'extra'], /positional/],
    [['--role', 'boss'], /role must be one of/],
    [['--role', 'department', '--unit', 'drc', '--region', '511112'], /unit drc/],
    [['--role', 'admin', '--region', '5111'], /region 5111/],
    [['--role', 'admin', '--bogus'], /--bogus/],
    [['--unit', 'DRC'], /--role is required/],
  ])('exits 2 with a usage line for %j', (args, message) => {
    const { status, stdout, stderr } = runCli(...args);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/^usage: npm run token -- --role/m);
  });
});
