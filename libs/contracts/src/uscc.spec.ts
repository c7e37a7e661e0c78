import { checkUscc, isValidUscc, usccCheckCharacter } from './uscc';

describe('USCC (GB 32100-2015)', () => {
  it.each([
    ['91350100M000100Y43', '3'],
    ['91110000600037341L', 'L'],
    ['91440300708461136T', 'T'],
    ['914403001922038216', '6'],
  ])('accepts the published code %s (check character %s)', (code, check) => {
    expect(usccCheckCharacter(code.slice(0, 17))).toBe(check);
    expect(checkUscc(code)).toEqual({ ok: true });
    expect(isValidUscc(code)).toBe(true);
  });

  it('maps a weighted sum divisible by 31 to the check character 0', () => {
    // All zeros: sum 0, (31 - 0) mod 31 = 0.
    expect(usccCheckCharacter('00000000000000000')).toBe('0');
    expect(isValidUscc('000000000000000000')).toBe(true);
  });

  it('names the check character a mistyped code should have', () => {
    expect(checkUscc('91110000600037341A')).toEqual({
      ok: false,
      problem: 'check-character',
      message: "wrong check character 'A': for 91110000600037341 it should be 'L'",
    });
    // One transposed digit in the body changes the expected check character.
    const swapped = checkUscc('91350100M001000Y43');
    expect(swapped).toMatchObject({ ok: false, problem: 'check-character' });
  });

  it.each([
    ['', 0],
    ['91350100M000100Y4', 17],
    ['91350100M000100Y431', 19],
  ])('refuses %j as the wrong length', (code, length) => {
    expect(checkUscc(code)).toEqual({
      ok: false,
      problem: 'length',
      message: `must be 18 characters, got ${length}`,
    });
  });

  it.each([
    ['91350100I000100Y43', 'I', 9],
    ['91350100O000100Y43', 'O', 9],
    ['9135010SM000100Y43', 'S', 8],
    ['91350100M000100V43', 'V', 16],
    ['Z1350100M000100Y43', 'Z', 1],
    ['91350100m000100Y43', 'm', 9],
    ['91350100M000100Y4-', '-', 18],
  ])('refuses %s for its illegal character %s at position %i', (code, char, position) => {
    const result = checkUscc(code);
    expect(result).toMatchObject({ ok: false, problem: 'character' });
    expect(!result.ok && result.message).toContain(`'${char}' at position ${position}`);
  });
});
