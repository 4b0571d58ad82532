// Edge-case rows: per feature its extremes, far out of range, zero and missing (numbers), missing and unseen (text), others typical.
import { describe, expect, it } from "vitest";
import { edgeCaseRows, finiteMedian, mostFrequent, typicalRow, UNSEEN_CATEGORY } from "./edge-cases";

const table = {
  age: [30, 20, Number.NaN, 60, 40],
  income: [1000, 3000, 2000, 4000, 5000],
  sex: ["F", "M", "M", "", "F"],
};

describe("typicalRow", () => {
  it("takes each number's median (missing left out) and each text's most frequent value", () => {
    expect(finiteMedian([3, 1, Number.NaN, 2])).toBe(2);
    expect(finiteMedian([4, 1, 3, 2])).toBe(2.5);
    expect(mostFrequent(["b", "a", "", "", "b", "a"])).toBe("a");
    expect(typicalRow(table)).toEqual({ age: 35, income: 3000, sex: "F" });
  });
});

describe("edgeCaseRows", () => {
  const rows = edgeCaseRows(table);

  it("lists min, max, both far-out values, zero and missing for numbers, missing and an unseen category for text", () => {
    expect(rows.filter((row) => row.feature === "age").map((row) => [row.case, row.input])).toEqual([
      ["min", 20],
      ["max", 60],
      ["far_out_of_range", 60 + 10 * 40],
      ["far_out_of_range", 20 - 10 * 40],
      ["zero", 0],
      ["missing", null],
    ]);
    expect(rows.filter((row) => row.feature === "sex").map((row) => [row.case, row.input])).toEqual([
      ["missing", null],
      ["wrong_category", UNSEEN_CATEGORY],
    ]);
    expect(rows).toHaveLength(6 + 6 + 2);
  });

  it("feeds the case's value to its feature and the typical value to the others", () => {
    const missingAge = rows.find((row) => row.feature === "age" && row.case === "missing")!;
    expect(Number.isNaN(missingAge.row.age)).toBe(true);
    expect(missingAge.row).toMatchObject({ income: 3000, sex: "F" });
    const missingSex = rows.find((row) => row.feature === "sex" && row.case === "missing")!;
    expect(missingSex.row).toEqual({ age: 35, income: 3000, sex: "" });
    const farIncome = rows.filter((row) => row.feature === "income" && row.case === "far_out_of_range");
    expect(farIncome.map((row) => row.row.income)).toEqual([5000 + 10 * 4000, 1000 - 10 * 4000]);
    expect(farIncome[0].row).toMatchObject({ age: 35, sex: "F" });
  });
});
