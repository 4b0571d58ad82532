// Reads a window of a dataset file's rows as JSON-safe values (a CSV's as the text written), for the virtualised preview table.
import { invalidParameter } from "@/server/errors";
import { sentence } from "@/lib/i18n/server-sentence";
import { queryDatasetTextView, toJsonCell, withDuckDB, type DatasetFileFormat, type JsonCell } from "./duckdb";

export const maxPreviewRows = 500;

export interface DatasetRows {
  columns: string[];
  rows: JsonCell[][];
  totalRows: number;
}

/** Rows offset..offset+limit in file order, and how many rows the file holds. */
export async function readDatasetRows(
  path: string,
  format: DatasetFileFormat,
  window: { offset: number; limit: number },
): Promise<DatasetRows> {
  const { offset, limit } = window;
  if (!Number.isInteger(offset) || offset < 0) {
    throw invalidParameter("The preview offset must be a whole number of rows, 0 or more.", sentence("error.datasets.preview_offset"));
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > maxPreviewRows) {
    throw invalidParameter(`The preview limit must be a whole number from 1 to ${maxPreviewRows}.`, sentence("error.datasets.preview_limit", { max: maxPreviewRows }));
  }
  // A view, not a loaded table: the window and the count each need one streaming scan at most. A CSV's cells come as
  // the text written (no type sniffing): the preview shows `yes`, `007`, `1.50` and `NA`, not true, 7, 1.5 or null.
  return withDuckDB((connection) =>
    queryDatasetTextView(connection, path, format, async () => {
      const page = await connection.runAndReadAll("SELECT * FROM t LIMIT $limit OFFSET $offset", { limit, offset });
      const types = page.columnTypes();
      const rows = page.getRowsJS().map((values) => values.map((value, i) => toJsonCell(value, types[i])));
      const total = await connection.runAndReadAll("SELECT count(*) AS n FROM t");
      return { columns: page.columnNames(), rows, totalRows: Number(total.getRowObjectsJS()[0].n) };
    }),
  );
}
