// PostgreSQL array literals ('{…}') written in one pass, for the 1,000-element arrays of a log-batch insert.

/*
 * node-postgres turns a JS array parameter into this same text, but element by element: toString, then two
 * regex replaces and a quoted concatenation each, ~4,000 times a batch. Numbers need no quoting, and a
 * batch names a handful of metric keys a thousand times, so each key is quoted once here.
 */

/** `{1,2.5,NaN,-Infinity}`: numbers as node-postgres writes them (Number#toString), for ::int8[] or ::float8[]. */
export function numberArrayLiteral(values: readonly number[]): string {
  return `{${values.join(",")}}`;
}

/** `{"a","b \"c\""}`: every element quoted (so "NULL" stays text), backslashes and quotes escaped, for ::text[]. */
export function textArrayLiteral(values: readonly string[]): string {
  const quoted = new Map<string, string>();
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    let part = quoted.get(value);
    if (part === undefined) {
      part = `"${value.replace(/[\\"]/g, "\\$&")}"`;
      quoted.set(value, part);
    }
    parts[i] = part;
  }
  return `{${parts.join(",")}}`;
}
