// Columns that identify rows rather than describe them (customer_id, uuid, order number): their distribution
// changes with every new batch by construction, so a drift test on them is noise that hides real drift.

/** Names that say "identifier": id, *_id, *Id, uuid, guid, or a row index/number. */
const IDENTIFIER_NAME = /^(id|uuid|guid|index|row_?(id|number|num|index)|record_?id)$|(^|[_\-\s.])(id|uuid|guid|key|pk)$/i;
/** camelCase customerId / customerID: case matters here, or "paid" and "valid" would match. */
const CAMEL_CASE_IDENTIFIER = /[a-z0-9](Id|ID|Uuid|UUID)$/;

export function looksLikeIdentifierName(column: string): boolean {
  const name = column.trim();
  return IDENTIFIER_NAME.test(name) || CAMEL_CASE_IDENTIFIER.test(name);
}

/** Share of distinct values above which a text column is one value per row (names, e-mails, hashes). */
export const IDENTIFIER_DISTINCT_SHARE = 0.95;
/** Below this many rows the distinct share says little: ten rows of ten colours are not an identifier. */
export const IDENTIFIER_MIN_ROWS = 50;

export type IdentifierReason = "name" | "distinct";

/**
 * Why a column is an identifier, or null. `counts` are a categorical column's value counts in both versions (absent
 * for numeric columns, judged by name only: a continuous measure has all-distinct values too).
 */
export function identifierReason(column: string, counts?: { reference: Record<string, number>; current: Record<string, number> }): IdentifierReason | null {
  if (looksLikeIdentifierName(column)) return "name";
  if (!counts) return null;
  const side = (values: Record<string, number>) => {
    const rows = Object.values(values).reduce((a, b) => a + b, 0);
    return rows >= IDENTIFIER_MIN_ROWS && Object.keys(values).length / rows >= IDENTIFIER_DISTINCT_SHARE;
  };
  return side(counts.reference) && side(counts.current) ? "distinct" : null;
}
