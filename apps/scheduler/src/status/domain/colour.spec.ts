import { colourOf, countColours, isOpenForColour } from './colour';

const N = 7;
const input = (openAlerts: Parameters<typeof colourOf>[0]['openAlerts'], maxDaysOverdue = 0) => ({
  openAlerts,
  maxDaysOverdue,
  redOverdueDays: N,
});

describe('traffic light colours', () => {
  it('is green without open alerts', () => {
    expect(colourOf(input([]))).toBe('green');
  });

  it.each([
    ['forecast-slip', 'info'],
    ['forecast-slip', 'minor'],
    ['behind-pace', 'minor'],
    ['report-missing', 'minor'],
    ['overdue', 'minor'],
  ] as const)('is yellow for an open %s alert of severity %s', (rule, severity) => {
    expect(colourOf(input([{ rule, severity }]))).toBe('yellow');
  });

  it.each(['major', 'critical'] as const)('is red for any open %s alert', (severity) => {
    expect(
      colourOf(
        input([
          { rule: 'forecast-slip', severity: 'info' },
          { rule: 'report-missing', severity },
        ]),
      ),
    ).toBe('red');
  });

  it('is red when a milestone is overdue more than N days, even without an alert', () => {
    expect(colourOf(input([], N + 1))).toBe('red');
    expect(colourOf(input([{ rule: 'overdue', severity: 'minor' }], N + 1))).toBe('red');
  });

  it('is not red at exactly N days overdue', () => {
    expect(colourOf(input([{ rule: 'overdue', severity: 'minor' }], N))).toBe('yellow');
    expect(colourOf(input([], N))).toBe('green');
  });

  it('counts open and acknowledged alerts, not resolved or closed ones', () => {
    expect(['open', 'acknowledged', 'resolved', 'closed'].map(isOpenForColour)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('counts subjects by colour, every colour present', () => {
    expect(
      countColours([
        { colour: 'red', n: 2 },
        { colour: 'green', n: 5 },
      ]),
    ).toEqual({
      red: 2,
      yellow: 0,
      green: 5,
    });
  });
});
