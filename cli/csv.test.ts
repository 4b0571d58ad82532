// Tests of CSV reading for log-csv: quoting, numeric detection, steps and skipped columns.
import { describe, expect, it } from "vitest";
import { csvToMetrics, parseCsv, parseNumber } from "./csv";

describe("parseCsv", () => {
  it("handles quotes, escaped quotes, line breaks in quotes, CRLF, a BOM and blank lines", () => {
    expect(parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\r\n\r\n"multi\nline",2\n')).toEqual([
      ["a", "b"],
      ["x, y", 'say "hi"'],
      ["multi\nline", "2"],
    ]);
    expect(parseCsv("a,b\n1,")).toEqual([["a", "b"], ["1", ""]]);
    expect(() => parseCsv('a\n"open')).toThrow(/closing/);
  });
});

describe("parseNumber", () => {
  it("reads decimals and the non-finite spellings, and nothing else", () => {
    expect(parseNumber(" 1.5e-3 ")).toBe(0.0015);
    expect(parseNumber("-.5")).toBe(-0.5);
    expect(parseNumber("NaN")).toBeNaN();
    expect(parseNumber("-inf")).toBe(-Infinity);
    expect(parseNumber("Infinity")).toBe(Infinity);
    expect(parseNumber("1,5")).toBeNull();
    expect(parseNumber("0x10")).toBeNull();
    expect(parseNumber("high")).toBeNull();
  });
});

describe("csvToMetrics", () => {
  const csv = ["step,loss,acc,phase,notes", "0,0.9,0.5,warmup,", "10,0.5,,train,", "20,0.25,0.8,train,"].join("\n");

  it("logs numeric columns over the step column, skips text and empty columns and empty cells", () => {
    const result = csvToMetrics(csv, { timestamp: 42 });
    expect(result.stepColumn).toBe("step");
    expect(result.metricColumns).toEqual(["loss", "acc"]);
    expect(result.skipped).toEqual([
      { column: "phase", reason: "not numeric (line 2 has 'warmup')" },
      { column: "notes", reason: "every cell is empty" },
    ]);
    expect(result.points).toEqual([
      { key: "loss", value: 0.9, step: 0, timestamp: 42 },
      { key: "acc", value: 0.5, step: 0, timestamp: 42 },
      { key: "loss", value: 0.5, step: 10, timestamp: 42 },
      { key: "loss", value: 0.25, step: 20, timestamp: 42 },
      { key: "acc", value: 0.8, step: 20, timestamp: 42 },
    ]);
  });

  it("uses row numbers when there is no step column, and a named one when asked", () => {
    const byRow = csvToMetrics("loss\n3\n2\n1", { timestamp: 1 });
    expect(byRow.stepColumn).toBeNull();
    expect(byRow.points.map((p) => p.step)).toEqual([0, 1, 2]);
    const byEpoch = csvToMetrics("epoch,loss\n5,1\n6,0.5", { stepColumn: "epoch", timestamp: 1 });
    expect(byEpoch.points.map((p) => [p.step, p.value])).toEqual([[5, 1], [6, 0.5]]);
    expect(byEpoch.metricColumns).toEqual(["loss"]);
  });

  it("explains what is wrong with a bad file", () => {
    expect(() => csvToMetrics("", { timestamp: 1 })).toThrow(/header/);
    expect(() => csvToMetrics("a,a\n1,2", { timestamp: 1 })).toThrow(/'a' twice/);
    expect(() => csvToMetrics("a,b\n1", { timestamp: 1 })).toThrow(/line 2 has 1 fields but the header has 2/);
    expect(() => csvToMetrics("loss\n1", { stepColumn: "epoch", timestamp: 1 })).toThrow(/no column 'epoch'.*loss/);
    expect(() => csvToMetrics("step,loss\n1.5,1", { timestamp: 1 })).toThrow(/step '1.5'.*not a whole number/);
  });

  it("skips columns whose names MLflow refuses as metric keys", () => {
    const result = csvToMetrics("loss,acc (%)\n1,50", { timestamp: 1 });
    expect(result.metricColumns).toEqual(["loss"]);
    expect(result.skipped[0].column).toBe("acc (%)");
  });
});
