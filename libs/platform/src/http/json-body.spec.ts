import { MAX_JSON_DEPTH, refuseDeepNesting } from './json-body';

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
const check = (json: string) => () => refuseDeepNesting(Buffer.from(json));

describe('refuseDeepNesting', () => {
  it(`lets JSON nested ${MAX_JSON_DEPTH} deep through`, () => {
    expect(check(nested(MAX_JSON_DEPTH))).not.toThrow();
  });

  it('refuses one level more, saying the limit', () => {
    expect(check(nested(MAX_JSON_DEPTH + 1))).toThrow(
      `JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
    );
  });

  it('counts depth, not brackets: siblings do not add up', () => {
    expect(
      check(
        `[${Array(100)
          .fill(nested(MAX_JSON_DEPTH - 1))
          .join(',')}]`,
      ),
    ).not.toThrow();
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ name: `"${'['.repeat(100)}\\"{{{` });
    expect(check(text)).not.toThrow();
  });
});
