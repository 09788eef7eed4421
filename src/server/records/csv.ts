/** RFC 4180 CSV: CRLF line ends, fields quoted when they hold a quote, comma or line break. */

export type CsvValue = string | number | boolean | null | undefined;

// A cell a spreadsheet would run as a formula; plain numbers such as +16025550142 or -3 stay as they are.
const FORMULA = /^[=@\t\r]|^[+-](?![\d.]+$)/;

export function csvField(value: CsvValue): string {
  if (value == null) return "";
  let s = typeof value === "string" ? value : String(value);
  if (typeof value === "string" && FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/** Columns by header, each read from a row: the header line and the rows come from one definition. */
export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
}

export function csvHeader<T>(columns: readonly CsvColumn<T>[]): string {
  return csvRow(columns.map((c) => c.header));
}

export function csvLine<T>(columns: readonly CsvColumn<T>[], row: T): string {
  return csvRow(columns.map((c) => c.value(row)));
}

/** Reads CSV text back into rows (for checks and tests); the inverse of csvRow without the formula guard. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += ch;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
