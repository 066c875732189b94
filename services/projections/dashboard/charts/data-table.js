/* global document */
/**
 * Fills `table` with a header and one row per record; each row carries every field as a
 * `data-<field>` attribute, so the chart's numbers can be read without the canvas.
 * @param {HTMLTableElement} table
 * @param {{ key: string, label: string, number?: boolean }[]} columns
 * @param {Record<string, string | number | null>[]} records
 */
export function fillDataTable(table, columns, records) {
  const head = document.createElement('tr');
  for (const column of columns) {
    const cell = document.createElement('th');
    cell.scope = 'col';
    cell.textContent = column.label;
    head.append(cell);
  }
  const rows = records.map((record) => {
    const row = document.createElement('tr');
    for (const column of columns) {
      const value = record[column.key];
      row.dataset[column.key] = value === null || value === undefined ? '' : String(value);
      const cell = document.createElement('td');
      if (column.number) cell.className = 'number';
      cell.textContent = value === null || value === undefined ? '—' : String(value);
      row.append(cell);
    }
    return row;
  });
  table.replaceChildren(head, ...rows);
}
