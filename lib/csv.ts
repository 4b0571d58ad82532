// CSV as spreadsheets read it (RFC 4180), safe to open: text that a spreadsheet would run as a
// formula is kept as text.

export type CsvValue = string | number | boolean | null | undefined;

export function csvCell(value: CsvValue | object): string {
  if (value == null) return "";
  // Numbers (including negative ones, which start with "-") are data, not formulas.
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : String(value);
  const text = typeof value === "string" ? value : typeof value === "boolean" ? String(value) : JSON.stringify(value);
  // A leading =, +, - or @ (or a tab/CR that hides one) would be run as a formula by spreadsheet programs.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: readonly (readonly (CsvValue | object)[])[]): string {
  return [header.map(csvCell).join(","), ...rows.map((row) => row.map(csvCell).join(","))].join("\r\n") + "\r\n";
}
