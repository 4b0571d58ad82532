// The text → model value conversions: text inputs keep what the file says, numeric inputs get numbers or a located error.
import { describe, expect, it } from "vitest";
import { FeatureValueError, columnForInput, numberColumn, numberFromText } from "./feature-values";

describe("columnForInput", () => {
  it("gives a string input the text exactly as written, an empty field as empty text", () => {
    const written = ["yes", "no", "TRUE", "007", "1.50", "2024-01", "NA", " spaced ", null];
    expect(columnForInput("c", "string", written)).toEqual(["yes", "no", "TRUE", "007", "1.50", "2024-01", "NA", " spaced ", ""]);
  });

  it("gives a numeric input the number, NaN for an empty field", () => {
    expect(columnForInput("c", "float32", ["007", "1.50", "-2e3", " 8 ", "", null, ".5"])).toEqual([7, 1.5, -2000, 8, Number.NaN, Number.NaN, 0.5]);
  });

  it("refuses text a numeric input cannot take, naming the column and the row", () => {
    for (const text of ["NA", "yes", "1,5", "0x10", "Infinity", "1.5.2"]) expect(numberFromText(text)).toBeNull();
    expect(() => numberColumn("income", ["1", "2", "NA"])).toThrow(/Column 'income', row 3: "NA" is not a number/);
    expect(() => numberColumn("income", ["1", "n/a"], [4, 9])).toThrow(FeatureValueError);
    expect(() => numberColumn("income", ["1", "n/a"], [4, 9])).toThrow(/row 9/);
  });

  it("gives a boolean input 1/0 for true/false/1/0 and refuses yes/no rather than guess", () => {
    expect(columnForInput("b", "bool", ["true", "FALSE", "1", "0", ""])).toEqual([1, 0, 1, 0, Number.NaN]);
    expect(() => columnForInput("b", "bool", ["yes"])).toThrow(/Column 'b', row 1: "yes" is not true\/false/);
  });
});
