// Known values from the stock MLflow 2.9 client (mlflow.data.digest_utils.compute_pandas_digest(pd.read_csv(file)), pandas 1.5).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { mlflowDigestOfCsv, parseCsv } from "./mlflow-pandas-digest";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "../fixtures/datasets", name), "utf8");

/** 12,000 rows (past MLflow's 10,000-row cut) of ints, floats with gaps, text, booleans, quoted text with gaps and UTF-8. */
function mixedCsv(): string {
  const lines = ["id,score,label,flag,note,city"];
  for (let i = 0; i < 12_000; i++) {
    const score = i % 97 === 0 ? "" : (((i * 7919) % 10007) / 100.37).toFixed(4);
    lines.push(`${i},${score},${["cat", "dog", "émeu"][i % 3]},${i % 2 ? "True" : "False"},${i % 50 === 0 ? "" : `"n, ${i}"`},Zürich`);
  }
  return lines.join("\n") + "\n";
}

describe("MLflow's pandas digest of a CSV", () => {
  it.each([
    ["iris.train.csv (floats and a text label)", fixture("iris.train.csv"), "a7f73ad3"],
    ["breast_cancer.train.csv (floats and an int label)", fixture("breast_cancer.train.csv"), "6ca622c5"],
    ["credit.test.csv (ints, floats and text)", fixture("credit.test.csv"), "136fd4b8"],
    ["quoted cells, an int column read as float for a gap", 'b,a,c\n1,x,2.5\n2,y,\n3,"q,""z",1e3\n', "2866b576"],
    ["ints only, columns not in name order", "z,y\n1,-5\n2,7\n", "97776890"],
    ["12,000 mixed rows", mixedCsv(), "97d1b5b8"],
  ])("%s", (_, csv, digest) => {
    expect(mlflowDigestOfCsv(csv)).toBe(digest);
  });

  it("parses quotes, doubled quotes, CRLF and a byte-order mark", () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n')).toEqual({ header: ["a", "b"], rows: [["x, y", 'say "hi"']] });
  });
});
