import { z } from 'zod';
import { describeIssues, validate } from './validation';

describe('validate', () => {
  const Body = z.strictObject({
    name: z.string().min(1),
    count: z.number().int(),
    a: z.strictObject({ b: z.number(), c: z.string().optional() }).optional(),
  });

  it('returns the parsed value on success', () => {
    const schema = z.object({ n: z.coerce.number() });
    const result = validate(schema, { n: '42', extra: true });
    expect(result).toEqual({ ok: true, value: { n: 42 } });
  });

  it('names an unknown top-level field', () => {
    const result = validate(Body, { name: 'x', count: 1, colour: 'red' });
    expect(result).toEqual({
      ok: false,
      issues: [{ field: 'colour', message: 'unknown field: colour' }],
    });
  });

  it('names an unknown nested field by its full path', () => {
    const result = validate(Body, { name: 'x', count: 1, a: { b: 1, zzz: 2 } });
    expect(result).toEqual({
      ok: false,
      issues: [{ field: 'a.zzz', message: 'unknown field: zzz' }],
    });
  });

  it('reports each of several unknown fields under its own path', () => {
    const result = validate(Body, { name: 'x', count: 1, a: { b: 1, p: 1, q: 2 } });
    expect(result).toEqual({
      ok: false,
      issues: [
        { field: 'a.p', message: 'unknown field: p' },
        { field: 'a.q', message: 'unknown field: q' },
      ],
    });
  });

  it('gives the path of a field with the wrong type', () => {
    const result = validate(Body, { name: 'x', count: 1, a: { b: 'one' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0].field).toBe('a.b');
    expect(result.issues[0].message).toMatch(/expected number/);
  });

  it('reports every failing field', () => {
    const result = validate(Body, { name: '', count: 1.5 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.field).sort()).toEqual(['count', 'name']);
  });

  it('joins array indexes into the path', () => {
    const result = validate(z.object({ items: z.array(z.number()) }), { items: [1, 'two'] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0].field).toBe('items.1');
  });

  it('uses (body) when the whole input is wrong', () => {
    const result = validate(Body, 'not an object');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0].field).toBe('(body)');
  });
});

describe('describeIssues', () => {
  it('formats issues as "field: message" joined by "; "', () => {
    expect(
      describeIssues([
        { field: 'a.b', message: 'must be a number' },
        { field: 'name', message: 'unknown field: name' },
      ]),
    ).toBe('a.b: must be a number; name: unknown field: name');
  });

  it('gives an empty string for no issues', () => {
    expect(describeIssues([])).toBe('');
  });
});
