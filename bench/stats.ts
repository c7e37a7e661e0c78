/** Latency statistics and the table every bench prints. */

export interface Row {
  name: string;
  latencies: number[];
  /** events/s from first start to last receive, for bursts */
  throughput?: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length); // nearest rank
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface Summary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarize(latencies: number[]): Summary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

export function printTable(rows: Row[]): void {
  const ms = (v: number): string => v.toFixed(2);
  const header = ['case', 'count', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'events/s'];
  const body = rows.map((r) => {
    const s = summarize(r.latencies);
    return [
      r.name,
      String(r.latencies.length),
      ms(s.p50),
      ms(s.p90),
      ms(s.p99),
      ms(s.max),
      r.throughput === undefined ? '-' : r.throughput.toFixed(0),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}
