// Checks what the filter box suggests at each point of a half-typed filter, and that accepting a suggestion yields text the parser reads.
import { describe, expect, it } from "vitest";
import { completeFilter, errorSpan, quoteFilterKey, type FilterKeys } from "./filter-completion";
import { parseSearchFilter, SearchFilterError } from "./search-filter";

const keys: FilterKeys = {
  metrics: ["val loss", "acc", "loss", "acc"],
  params: ["lr", "model.depth"],
  tags: ["team", "mlflow.runName"],
};

/** Completes at the end of `text` (or at the `|` in it). */
function at(text: string) {
  const cursor = text.indexOf("|");
  const source = cursor < 0 ? text : text.replace("|", "");
  return { source, ...completeFilter(source, cursor < 0 ? source.length : cursor, keys) };
}

function labels(text: string): string[] {
  return at(text).suggestions.map((suggestion) => suggestion.label);
}

/** Applies the suggestion labelled `label` as the editor would: replace [from, to) with its insert text. */
function accept(text: string, label: string): string {
  const completion = at(text);
  const suggestion = completion.suggestions.find((candidate) => candidate.label === label);
  if (suggestion === undefined) throw new Error(`no suggestion '${label}' for '${text}'`);
  return completion.source.slice(0, completion.from) + suggestion.insertText + completion.source.slice(completion.to);
}

describe("completeFilter: start of a clause", () => {
  it("offers the prefixes and the bare attribute names on an empty box", () => {
    expect(labels("")).toEqual([
      "metrics.",
      "params.",
      "tags.",
      "attributes.",
      "datasets.",
      "run_id",
      "run_name",
      "status",
      "user_id",
      "artifact_uri",
      "lifecycle_stage",
      "start_time",
      "end_time",
    ]);
  });

  it("replaces the word being typed", () => {
    expect(at("met")).toMatchObject({ from: 0, to: 3 });
    expect(accept("met", "metrics.")).toBe("metrics.");
    expect(at("metrics.acc > 1 and pa")).toMatchObject({ from: 20, to: 22 });
    expect(labels("metrics.acc > 1 and pa")).toContain("params.");
  });

  it("asks for the next list once a prefix is accepted", () => {
    expect(at("").suggestions.find((s) => s.label === "metrics.")?.retrigger).toBe(true);
  });
});

describe("completeFilter: keys after a prefix", () => {
  it("offers each kind's keys once, sorted, after its prefix and its aliases", () => {
    expect(labels("metrics.")).toEqual(["acc", "loss", "val loss"]);
    expect(labels("metric.")).toEqual(["acc", "loss", "val loss"]);
    expect(labels("params.")).toEqual(["lr", "model.depth"]);
    expect(labels("tags.")).toEqual(["mlflow.runName", "team"]);
    expect(labels("attributes.")).toContain("run_name");
    expect(labels("datasets.")).toEqual(["context", "digest", "name"]);
  });

  it("replaces only the text after the dot", () => {
    expect(at("metrics.lo")).toMatchObject({ from: 8, to: 10 });
    expect(accept("metrics.lo", "loss")).toBe("metrics.loss ");
    expect(accept("params.lr = '1' and metrics.a", "acc")).toBe("params.lr = '1' and metrics.acc ");
  });

  it("quotes keys with spaces or dots in backticks so the parser reads them whole", () => {
    expect(accept("metrics.", "val loss")).toBe("metrics.`val loss` ");
    expect(accept("params.", "model.depth")).toBe("params.`model.depth` ");
    expect(parseSearchFilter(`${accept("metrics.", "val loss")}< 1`)).toEqual([
      { entity: "metric", key: "val loss", op: "<", value: 1, position: 0 },
    ]);
    expect(parseSearchFilter(`${accept("params.", "model.depth")}= '3'`)[0]).toMatchObject({ key: "model.depth" });
  });

  it("matches a backtick the user already typed", () => {
    const completion = at("metrics.`val");
    expect(completion).toMatchObject({ from: 8, to: 12 });
    expect(completion.suggestions.find((s) => s.label === "val loss")?.filterText).toBe("`val loss` ");
    expect(accept("metrics.`val", "val loss")).toBe("metrics.`val loss` ");
  });

  it("offers nothing after an unknown prefix", () => {
    expect(labels("metricz.")).toEqual([]);
    expect(labels("Metrics.")).toEqual([]);
  });

  it("completes in the middle of the text, before the cursor only", () => {
    expect(at("metrics.l| > 1")).toMatchObject({ from: 8, to: 9 });
    expect(labels("metrics.l| > 1")).toEqual(["acc", "loss", "val loss"]);
  });
});

describe("completeFilter: comparators after a key", () => {
  it("offers numeric comparators for metrics and numeric attributes", () => {
    expect(labels("metrics.acc ")).toEqual(["=", "!=", "<", "<=", ">", ">="]);
    expect(labels("metrics.`val loss` ")).toEqual(["=", "!=", "<", "<=", ">", ">="]);
    expect(labels("attributes.start_time ")).toEqual(["=", "!=", "<", "<=", ">", ">="]);
  });

  it("offers string comparators for params and tags, lists only where the parser takes them", () => {
    expect(labels("params.lr ")).toEqual(["=", "!=", "LIKE", "ILIKE", "IS NULL", "IS NOT NULL"]);
    expect(labels("tags.`mlflow.runName` ")).toEqual(["=", "!=", "LIKE", "ILIKE", "IS NULL", "IS NOT NULL"]);
    expect(labels("status ")).toEqual(["=", "!=", "LIKE", "ILIKE"]);
    expect(labels("attributes.run_id ")).toEqual(["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"]);
  });

  it("replaces a comparator still being typed, words and symbols alike", () => {
    expect(at("params.lr LI")).toMatchObject({ from: 10, to: 12 });
    expect(accept("params.lr LI", "LIKE")).toBe("params.lr LIKE ");
    expect(at("metrics.acc >")).toMatchObject({ from: 12, to: 13 });
    expect(at("params.lr IS ")).toMatchObject({ from: 10, to: 13 });
    expect(accept("params.lr IS ", "IS NOT NULL")).toBe("params.lr IS NOT NULL ");
    expect(accept("attributes.run_id NOT", "NOT IN")).toBe("attributes.run_id NOT IN (");
  });

  it("offers nothing after a name the parser would reject", () => {
    expect(labels("accuracy ")).toEqual([]);
    expect(labels("metrics.acc-x ")).toEqual([]);
  });
});

describe("completeFilter: after a value", () => {
  it("offers `and` once a space ends the value, and nothing while the value is typed", () => {
    expect(labels("metrics.acc > 0.9")).toEqual([]);
    expect(labels("params.model = 'rf")).toEqual([]);
    expect(labels("params.model = 'rf'")).toEqual([]);
    expect(labels("metrics.acc > 0.9 ")).toEqual(["and"]);
    expect(labels("params.model = 'r f' ")).toEqual(["and"]);
    expect(labels("params.lr IS NULL ")).toEqual(["and"]);
    expect(labels("attributes.run_id IN ('a', 'b') ")).toEqual(["and"]);
    expect(labels("attributes.run_id IN ('a', ")).toEqual([]);
    expect(at("metrics.acc > 0.9 an")).toMatchObject({ from: 18, to: 20 });
  });

  it("builds a filter the parser accepts by accepting suggestions", () => {
    let text = accept("", "metrics.");
    text = accept(text, "val loss");
    text = accept(text, "<");
    text += "0.5 ";
    text = accept(text, "and");
    text = accept(text, "params.");
    text = accept(text, "lr");
    text = accept(text, "LIKE");
    text += "'0.0%'";
    expect(text).toBe("metrics.`val loss` < 0.5 and params.lr LIKE '0.0%'");
    expect(parseSearchFilter(text)).toHaveLength(2);
  });

  it("offers nothing after something other than and", () => {
    expect(labels("metrics.acc > 0.9 or ")).toEqual([]);
  });
});

describe("quoteFilterKey", () => {
  it("leaves one-word keys bare and doubles backticks inside quoted ones", () => {
    expect(quoteFilterKey("acc_1")).toBe("acc_1");
    expect(quoteFilterKey("val-loss")).toBe("`val-loss`");
    expect(quoteFilterKey("a`b c")).toBe("`a``b c`");
    expect(parseSearchFilter(`metrics.${quoteFilterKey("a`b c")} > 1`)[0].key).toBe("a`b c");
  });
});

describe("errorSpan", () => {
  function spanOf(filter: string): string {
    try {
      parseSearchFilter(filter);
    } catch (error) {
      if (!(error instanceof SearchFilterError) || error.position === null) throw error;
      const { from, to } = errorSpan(filter, error.position);
      return filter.slice(from, to);
    }
    throw new Error(`'${filter}' parsed`);
  }

  it("underlines the token the parser stopped at", () => {
    expect(spanOf("metrics.acc >> 0.5")).toBe(">>");
    expect(spanOf("metrics.acc > 0.5 or params.lr = '1'")).toBe("or");
    expect(spanOf("params.lr > '1'")).toBe(">");
    expect(spanOf("accuracy > 1")).toBe("accuracy");
  });

  it("underlines the last character when the filter ends too early", () => {
    expect(spanOf("metrics.acc >")).toBe(">");
    expect(errorSpan("", 0)).toEqual({ from: 0, to: 0 });
  });
});
