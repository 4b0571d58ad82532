// Reading a CSV of training metrics: RFC 4180 parsing, then each numeric column as a metric series over steps.
import { validateKey } from "@/server/tracking/validation";
import type { MetricPoint } from "@/lib/studio-client";

/** Parses RFC 4180 CSV: quoted fields (with "" for a quote, and line breaks inside), CRLF or LF, a leading BOM. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"' && field === "") {
      quoted = true;
    } else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else {
      field += ch;
    }
  }
  if (quoted) throw new Error("The CSV ends inside a quoted field: a closing '\"' is missing.");
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  // Blank lines carry no data.
  return rows.filter((r) => !(r.length === 1 && r[0].trim() === ""));
}

/** Decimal numbers, and the non-finite spellings of pandas and MLflow (nan, inf, Infinity). */
const numberPattern = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const nonFinite: Record<string, number> = { nan: Number.NaN, inf: Infinity, "+inf": Infinity, "-inf": -Infinity, infinity: Infinity, "+infinity": Infinity, "-infinity": -Infinity };

export function parseNumber(raw: string): number | null {
  const text = raw.trim();
  if (numberPattern.test(text)) return Number(text);
  const special = nonFinite[text.toLowerCase()];
  return special === undefined ? null : special;
}

export interface CsvMetrics {
  /** The column the steps came from, or null when steps are row numbers. */
  stepColumn: string | null;
  metricColumns: string[];
  /** Columns that are not metrics, each with the reason, for a warning. */
  skipped: Array<{ column: string; reason: string }>;
  points: MetricPoint[];
  rows: number;
}

/**
 * Turns a parsed CSV into metric points: every column whose non-empty cells are all numbers is a
 * metric; a row's step is its step column (integers) or its row number. Empty cells log nothing.
 */
export function csvToMetrics(text: string, options: { stepColumn?: string; timestamp: number }): CsvMetrics {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error("The CSV is empty: it needs a header line naming the columns.");
  const names = header.map((h) => h.trim());
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new Error(`The CSV names the column '${duplicate}' twice.`);
  rows.forEach((r, i) => {
    if (r.length !== names.length) {
      throw new Error(`CSV line ${i + 2} has ${r.length} fields but the header has ${names.length}.`);
    }
  });

  let stepIndex = -1;
  if (options.stepColumn !== undefined) {
    stepIndex = names.indexOf(options.stepColumn);
    if (stepIndex < 0) throw new Error(`There is no column '${options.stepColumn}' for the steps; the columns are: ${names.join(", ")}.`);
  } else {
    stepIndex = names.indexOf("step");
  }
  const steps = rows.map((r, i) => {
    if (stepIndex < 0) return i;
    const raw = r[stepIndex].trim();
    if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
      throw new Error(`CSV line ${i + 2}: the step '${raw}' in column '${names[stepIndex]}' is not a whole number.`);
    }
    return Number(raw);
  });

  const skipped: CsvMetrics["skipped"] = [];
  const metricColumns: number[] = [];
  names.forEach((name, column) => {
    if (column === stepIndex) return;
    try {
      validateKey("metric", name);
    } catch (error) {
      skipped.push({ column: name, reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    const bad = rows.findIndex((r) => r[column].trim() !== "" && parseNumber(r[column]) === null);
    if (bad >= 0) {
      skipped.push({ column: name, reason: `not numeric (line ${bad + 2} has '${rows[bad][column].slice(0, 40)}')` });
      return;
    }
    if (rows.every((r) => r[column].trim() === "")) {
      skipped.push({ column: name, reason: "every cell is empty" });
      return;
    }
    metricColumns.push(column);
  });

  const points: MetricPoint[] = [];
  rows.forEach((r, i) => {
    for (const column of metricColumns) {
      const value = parseNumber(r[column]);
      if (value !== null) points.push({ key: names[column], value, step: steps[i], timestamp: options.timestamp });
    }
  });
  return {
    stepColumn: stepIndex >= 0 ? names[stepIndex] : null,
    metricColumns: metricColumns.map((c) => names[c]),
    skipped,
    points,
    rows: rows.length,
  };
}
