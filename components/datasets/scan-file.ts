// The browser-side PII scan of a chosen CSV: its first megabyte, cut at a whole row, through lib/pii before anything is sent.
import { scanCsvText } from "@/lib/pii";
import type { PiiFindingOutput } from "@/server/datasets/schema";
import { dropPartialLastLine } from "./masking-choices";

/** Enough rows to judge a column (thousands for typical widths) while reading fast even from a 2 GB file. */
export const SCAN_BYTES = 1 << 20;

/** lib/pii's result, written out so the form stays typed on its own; the return below checks it against lib/pii. */
export interface CsvScan {
  header: string[];
  findings: PiiFindingOutput[];
  rowsScanned: number;
}

export async function scanCsvFile(file: Blob): Promise<CsvScan> {
  const head = await file.slice(0, SCAN_BYTES).text();
  return scanCsvText(dropPartialLastLine(head, file.size > SCAN_BYTES));
}
