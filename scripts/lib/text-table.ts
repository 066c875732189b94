// The tables the benchmark and drill scripts print and write: the first row is the header.

/** Aligned with spaces for the terminal, the header underlined; `numbers: 'right'` right-aligns every column but the first. */
export function plainTable(rows: readonly string[][], options: { numbers?: 'left' | 'right' } = {}): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const pad = (cell: string, column: number) =>
    options.numbers === 'right' && column > 0 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0);
  return rows
    .map((row, index) => {
      const line = row.map(pad).join('  ').trimEnd();
      return index === 0 ? `${line}\n${widths.map((width) => '-'.repeat(width)).join('  ')}` : line;
    })
    .join('\n');
}

/** The same rows as a Markdown table, `|` in a cell escaped. */
export function markdownTable(rows: readonly string[][]): string {
  const line = (row: readonly string[]) => `| ${row.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  const [header = [], ...body] = rows;
  return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n');
}
