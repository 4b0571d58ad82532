// The browser-side PII scan of a chosen CSV: its first megabyte, cut at a whole row, through lib/pii before anything is sent.
import { scanCsvText } from "@/lib/pii";
import { dropPartialLastLine } from "./masking-choices";

/** Enough rows to judge a column (thousands for typical widths) while reading fast even from a 2 GB file. */
export const SCAN_BYTES = 1 << 20;

export type CsvScan = ReturnType<typeof scanCsvText>;

export async function scanCsvFile(file: Blob): Promise<CsvScan> {
  const head = await file.slice(0, SCAN_BYTES).text();
  return scanCsvText(dropPartialLastLine(head, file.size > SCAN_BYTES));
}
