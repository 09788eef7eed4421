type Json = null | string | number | boolean | Json[] | { [k: string]: Json };

/** The rows of a result: the first list found (connection edges unwrapped to their nodes). */
export function resultRows(data: Json): Record<string, Json>[] {
  const find = (v: Json): Json[] | null => {
    if (Array.isArray(v)) return v;
    if (!v || typeof v !== "object") return null;
    if (Array.isArray(v.edges))
      return v.edges.map((e) => (e && typeof e === "object" && !Array.isArray(e) ? (e.node ?? e) : e));
    for (const child of Object.values(v)) {
      const rows = find(child);
      if (rows) return rows;
    }
    return null;
  };
  const rows = find(data);
  if (rows) return rows.map((r) => (r && typeof r === "object" && !Array.isArray(r) ? r : { value: r }));
  return data && typeof data === "object" && !Array.isArray(data) ? [data] : [{ value: data }];
}

function flatten(value: Json, prefix: string, out: Record<string, string>): void {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(value)) {
    out[prefix] = JSON.stringify(value);
  } else {
    out[prefix] = value == null ? "" : String(value);
  }
}

// A cell that starts like a formula would run in a spreadsheet; a leading quote keeps it text.
const FORMULA = /^[=+\-@\t\r]/;

function cell(text: string): string {
  const safe = FORMULA.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV (RFC 4180) of a GraphQL result: one line per row, nested fields as dotted columns. */
export function toCsv(data: Json): string {
  const flat = resultRows(data).map((r) => {
    const out: Record<string, string> = {};
    flatten(r, "", out);
    return out;
  });
  const all = [...new Set(flat.flatMap((r) => Object.keys(r)))];
  // A null object in one row and its fields in another: the fields are the columns.
  const columns = all.filter((c) => !all.some((o) => o.startsWith(`${c}.`)));
  const lines = [
    columns.map(cell).join(","),
    ...flat.map((r) => columns.map((c) => cell(r[c] ?? "")).join(",")),
  ];
  return `${lines.join("\r\n")}\r\n`;
}

/** Hands the browser a file to save. */
export function download(fileName: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
