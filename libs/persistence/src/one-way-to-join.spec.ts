import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '../../..');

/**
 * The services join transactions one way only, `inTransaction` (transaction.ts): an optional
 * manager parameter, or a DataSource's own `.transaction(`, would let a service called from a
 * Kafka handler open a second transaction beside the inbox's, whose writes survive the
 * handler's failure and are applied again on redelivery. The scheduler is left out on purpose:
 * it takes an explicit `m: EntityManager` first argument everywhere, a different, explicit style.
 */
const SERVICES = ['projects', 'parks', 'transport', 'evaluation'].map((s) => `apps/${s}/src`);
const RULES: { pattern: RegExp; why: string; where: string[] }[] = [
  {
    pattern: /\w+\?\s*:\s*EntityManager\b/,
    why: 'an optional manager parameter: join the ambient transaction with inTransaction',
    where: [...SERVICES, 'libs/milestones/src'],
  },
  {
    pattern: /\.\s*transaction\s*\(/,
    why: 'a transaction of its own: use inTransaction(ds, work), which joins a running one',
    where: SERVICES,
  },
];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'migrations' ? [] : tsFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

function offences(rule: (typeof RULES)[number]): string[] {
  return rule.where.flatMap((dir) =>
    tsFiles(join(root, dir)).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          rule.pattern.test(line) ? [`${relative(root, file)}:${i + 1}: ${line.trim()}`] : [],
        ),
    ),
  );
}

describe('one way to join a transaction', () => {
  it.each(RULES.map((r) => [r.why, r] as const))('no service code has %s', (_why, rule) => {
    expect(offences(rule)).toEqual([]);
  });

  it('catches what it is meant to catch', () => {
    const [optional, own] = RULES;
    expect(optional.pattern.test('create(actor: Principal, manager?: EntityManager) {')).toBe(true);
    expect(optional.pattern.test('async apply(m: EntityManager, event: DubanEvent)')).toBe(false);
    expect(own.pattern.test('return this.ds.transaction(async (m) => {')).toBe(true);
    expect(own.pattern.test('await ds.transaction((m) => writeWork(m))')).toBe(true);
    expect(own.pattern.test('return inTransaction(this.ds, async (m) => {')).toBe(false);
  });
});
