// Converts a dataset column's text, as written in the file, into what a model input of a given element type takes.
// The model's input type decides, never a type sniffer: text inputs get the text unchanged, numeric inputs a number.

/** A value that cannot become what the model input takes: names the column and the (1-based) data row. */
export class FeatureValueError extends Error {
  constructor(
    readonly column: string,
    readonly row: number,
    message: string,
    /** The cell's text and what the input takes, so a page can say the message in the reader's language. */
    readonly value: string = "",
    readonly expected: "number" | "boolean" = "number",
  ) {
    super(message);
  }
}

/** What an ONNX element type asks of a cell. */
export type ValueKind = "text" | "number" | "boolean";

export function valueKindOf(elementType: string): ValueKind {
  if (elementType === "string") return "text";
  if (elementType === "bool") return "boolean";
  return "number";
}

// A plain decimal number as CSV writers produce it (pandas, R, Excel): no hex, no "Infinity", no thousands separators.
const decimalNumber = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The number a cell's text writes; NaN for an empty cell (a missing value); null when the text is not a number. */
export function numberFromText(text: string | null): number | null {
  if (text === null) return Number.NaN;
  const trimmed = text.trim();
  if (trimmed === "") return Number.NaN;
  return decimalNumber.test(trimmed) ? Number(trimmed) : null;
}

/** Booleans as CSV writers spell them; anything else is not a boolean. */
export function booleanFromText(text: string): boolean | null {
  const lower = text.trim().toLowerCase();
  if (lower === "true" || lower === "1") return true;
  if (lower === "false" || lower === "0") return false;
  return null;
}

/** One column's text (null = empty field) as text: the characters written in the file, "" for an empty field. */
export function textColumn(values: readonly (string | null)[]): string[] {
  return values.map((value) => value ?? "");
}

/**
 * One column's text as numbers for a numeric input: NaN for an empty field (a missing value, which models with an
 * imputer handle), an error naming the column and row for text that is not a number (`NA`, `yes`, `1,5`).
 */
export function numberColumn(column: string, values: readonly (string | null)[], rowNumbers?: readonly number[]): number[] {
  const numbers = new Array<number>(values.length);
  for (let index = 0; index < values.length; index += 1) {
    const value = numberFromText(values[index]);
    if (value === null) {
      const row = rowNumbers ? rowNumbers[index] : index + 1;
      throw new FeatureValueError(
        column,
        row,
        `Column '${column}', row ${row}: "${values[index]}" is not a number, but the model takes numbers for '${column}'. ` +
          "Leave a missing value empty, or fix the value in the file.",
        String(values[index]),
        "number",
      );
    }
    numbers[index] = value;
  }
  return numbers;
}

/** One column's text as 1/0 for a boolean input (true/false/1/0, any case); NaN for an empty field; else an error. */
export function booleanColumn(column: string, values: readonly (string | null)[], rowNumbers?: readonly number[]): number[] {
  return values.map((text, index) => {
    if (text === null || text.trim() === "") return Number.NaN;
    const value = booleanFromText(text);
    if (value === null) {
      const row = rowNumbers ? rowNumbers[index] : index + 1;
      throw new FeatureValueError(
        column,
        row,
        `Column '${column}', row ${row}: "${text}" is not true/false or 1/0, but the model takes booleans for '${column}'.`,
        text,
        "boolean",
      );
    }
    return value ? 1 : 0;
  });
}

/** A column converted for an input of `elementType`: strings for string inputs, numbers (NaN = missing) otherwise. */
export function columnForInput(column: string, elementType: string, values: readonly (string | null)[], rowNumbers?: readonly number[]): string[] | number[] {
  const kind = valueKindOf(elementType);
  if (kind === "text") return textColumn(values);
  if (kind === "boolean") return booleanColumn(column, values, rowNumbers);
  return numberColumn(column, values, rowNumbers);
}
