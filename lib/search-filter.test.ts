// Checks that filter and order_by strings written for MLflow's search_runs parse to the clauses MLflow would apply.
import { describe, it, expect } from "vitest";
import {
  comparatorsFor,
  entityOfPrefix,
  FILTER_ATTRIBUTE_NAMES,
  parseOrderBy,
  parseSearchFilter,
  SearchFilterError,
  type FilterClause,
} from "./search-filter";

function one(filter: string): FilterClause {
  const clauses = parseSearchFilter(filter);
  expect(clauses).toHaveLength(1);
  return clauses[0];
}

function failure(run: () => unknown): SearchFilterError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SearchFilterError);
    return error as SearchFilterError;
  }
  throw new Error("expected a SearchFilterError");
}

function filterError(filter: string): SearchFilterError {
  return failure(() => parseSearchFilter(filter));
}

describe("parseSearchFilter: empty input", () => {
  it("treats missing, empty and blank filters as no conditions", () => {
    expect(parseSearchFilter(undefined)).toEqual([]);
    expect(parseSearchFilter(null)).toEqual([]);
    expect(parseSearchFilter("")).toEqual([]);
    expect(parseSearchFilter("  \n\t ")).toEqual([]);
  });
});

describe("parseSearchFilter: metrics", () => {
  it.each(["=", "!=", "<", "<=", ">", ">="] as const)("accepts %s with a numeric value", (op) => {
    expect(one(`metrics.accuracy ${op} 0.9`)).toEqual({
      entity: "metric",
      key: "accuracy",
      op,
      value: 0.9,
      position: 0,
    });
  });

  it("accepts the singular prefix", () => {
    expect(one("metric.loss < 1")).toMatchObject({ entity: "metric", key: "loss", value: 1 });
  });

  it.each([
    ["0", 0],
    ["42", 42],
    ["-3", -3],
    ["0.5", 0.5],
    [".5", 0.5],
    ["5.", 5],
    ["-0.25", -0.25],
    ["1e3", 1000],
    ["1E-3", 0.001],
    ["-2.5e+2", -250],
  ])("reads the number %s", (text, value) => {
    expect(one(`metrics.m >= ${text}`).value).toBe(value);
  });

  it("accepts no spaces around the comparator", () => {
    expect(one("metrics.m>=-1")).toMatchObject({ op: ">=", value: -1 });
  });

  it.each(["LIKE", "ILIKE", "IN", "NOT IN", "IS NULL", "IS NOT NULL"])("rejects %s on metrics", (op) => {
    const value = op.startsWith("IS") ? "" : op.endsWith("IN") ? "('1')" : "'1'";
    const error = filterError(`metrics.acc ${op} ${value}`);
    expect(error.position).toBe(12);
    expect(error.message).toContain(`Invalid comparator '${op}' for metric 'acc' at position 12`);
    expect(error.message).toContain("metrics support =, !=, <, <=, >, >=");
  });

  it("rejects a quoted value and says to remove the quotes", () => {
    const error = filterError("metrics.acc > '0.9'");
    expect(error.position).toBe(14);
    expect(error.message).toMatch(/Expected a number for metric 'acc'.*remove the quotes/);
  });

  it("rejects a bare word as a metric value", () => {
    const error = filterError("metrics.acc > high");
    expect(error.position).toBe(14);
    expect(error.message).toContain("found 'high'");
  });

  it("rejects numbers glued to letters or extra dots", () => {
    expect(filterError("metrics.acc > 0.9abc").position).toBe(14);
    expect(filterError("metrics.acc > 1.2.3").position).toBe(14);
  });
});

describe("parseSearchFilter: params", () => {
  it.each(["param", "params", "parameter", "parameters"])("accepts the prefix %s", (prefix) => {
    expect(one(`${prefix}.lr = '0.01'`)).toEqual({ entity: "param", key: "lr", op: "=", value: "0.01", position: 0 });
  });

  it.each(["=", "!=", "LIKE", "ILIKE"] as const)("accepts %s with a quoted string", (op) => {
    expect(one(`params.optimizer ${op} 'adam%'`)).toMatchObject({ entity: "param", op, value: "adam%" });
  });

  it("accepts IS NULL and IS NOT NULL with a null value", () => {
    expect(one("params.lr IS NULL")).toEqual({ entity: "param", key: "lr", op: "IS NULL", value: null, position: 0 });
    expect(one("params.lr IS NOT NULL")).toMatchObject({ op: "IS NOT NULL", value: null });
  });

  it("names the offending comparator, its position and the ones params allow", () => {
    const error = filterError("params.lr > '0.1'");
    expect(error.position).toBe(10);
    expect(error.message).toBe(
      "Invalid comparator '>' for param 'lr' at position 10: params support =, !=, LIKE, ILIKE, IS NULL, IS NOT NULL",
    );
  });

  it("rejects IN on params as MLflow does", () => {
    expect(filterError("params.lr IN ('0.1')").message).toContain("Invalid comparator 'IN' for param 'lr'");
  });

  it("rejects an unquoted number and shows the quoted form", () => {
    const error = filterError("params.lr = 0.01");
    expect(error.position).toBe(12);
    expect(error.message).toContain("write '0.01'");
  });

  it("rejects an unquoted word", () => {
    const error = filterError("params.optimizer = adam");
    expect(error.position).toBe(19);
    expect(error.message).toContain("wrap it in quotes");
  });
});

describe("parseSearchFilter: tags", () => {
  it.each(["tag", "tags"])("accepts the prefix %s", (prefix) => {
    expect(one(`${prefix}.team = 'vision'`)).toMatchObject({ entity: "tag", key: "team", value: "vision" });
  });

  it.each(["=", "!=", "LIKE", "ILIKE", "IS NULL", "IS NOT NULL"] as const)("accepts %s", (op) => {
    const value = op.startsWith("IS") ? "" : " 'x'";
    expect(one(`tags.team ${op}${value}`)).toMatchObject({ entity: "tag", op });
  });

  it("accepts a dotted key without quotes, split at the first dot", () => {
    expect(one("tags.mlflow.runName = 'x'")).toMatchObject({ entity: "tag", key: "mlflow.runName" });
  });

  it("accepts a dotted key in double quotes or backticks", () => {
    expect(one('tags."mlflow.runName" = \'x\'').key).toBe("mlflow.runName");
    expect(one("tags.`mlflow.source.git.commit` = 'abc'").key).toBe("mlflow.source.git.commit");
  });

  it.each(["<", "<=", ">", ">=", "NOT IN"])("rejects %s", (op) => {
    const value = op === "NOT IN" ? "('x')" : "'x'";
    expect(filterError(`tags.t ${op} ${value}`).message).toContain(`Invalid comparator '${op}' for tag 't'`);
  });
});

describe("parseSearchFilter: attributes", () => {
  it.each(["attribute", "attributes", "attr", "run"])("accepts the prefix %s", (prefix) => {
    expect(one(`${prefix}.status = 'FINISHED'`)).toMatchObject({ entity: "attribute", key: "status", value: "FINISHED" });
  });

  it("treats an unprefixed name as an attribute", () => {
    expect(one("run_name = 'baseline'")).toMatchObject({ entity: "attribute", key: "run_name" });
  });

  it.each(["run_id", "run_name", "status", "user_id", "artifact_uri", "lifecycle_stage"])(
    "compares the string attribute %s with =, !=, LIKE and ILIKE",
    (key) => {
      for (const op of ["=", "!=", "LIKE", "ILIKE"] as const) {
        expect(one(`attributes.${key} ${op} 'v'`)).toEqual({ entity: "attribute", key, op, value: "v", position: 0 });
      }
    },
  );

  it.each(["start_time", "end_time"])("compares the numeric attribute %s with every numeric comparator", (key) => {
    for (const op of ["=", "!=", "<", "<=", ">", ">="] as const) {
      expect(one(`attributes.${key} ${op} 1700000000000`)).toMatchObject({ key, op, value: 1700000000000 });
    }
  });

  it.each([
    ["created", "start_time"],
    ["Created", "start_time"],
    ["`run name`", "run_name"],
    ['"Run name"', "run_name"],
    ["`Run Name`", "run_name"],
    ["attributes.created", "start_time"],
    ["attr.`Run Name`", "run_name"],
  ])("translates the alias %s to %s", (identifier, key) => {
    const value = key === "start_time" ? "5" : "'x'";
    expect(one(`${identifier} = ${value}`).key).toBe(key);
  });

  it("matches attribute names case-sensitively, as MLflow does", () => {
    const error = filterError("attributes.Status = 'FINISHED'");
    expect(error.position).toBe(11);
    expect(error.message).toContain("Unknown attribute 'Status'");
  });

  it("suggests a prefix when an unprefixed name is not an attribute", () => {
    const error = filterError("accuracy > 0.9");
    expect(error.position).toBe(0);
    expect(error.message).toContain("metrics.accuracy");
  });

  it("accepts run_id IN and NOT IN with one or several values", () => {
    expect(one("attributes.run_id IN ('a1')").value).toEqual(["a1"]);
    expect(one("run_id NOT IN ('a1', \"b2\", 'c3')")).toMatchObject({ op: "NOT IN", value: ["a1", "b2", "c3"] });
  });

  it("accepts a trailing comma in a list, as Python's literal_eval does", () => {
    expect(one("run_id IN ('a', )").value).toEqual(["a"]);
  });

  it("rejects lists on other string attributes", () => {
    const error = filterError("status IN ('RUNNING')");
    expect(error.position).toBe(7);
    expect(error.message).toContain("only run_id accepts a list");
  });

  it("rejects string-only comparators on numeric attributes", () => {
    const error = filterError("start_time LIKE '17%'");
    expect(error.position).toBe(11);
    expect(error.message).toContain("numeric attributes support =, !=, <, <=, >, >=");
  });

  it("rejects order comparators on string attributes", () => {
    expect(filterError("status > 'A'").message).toContain("string attributes support =, !=, LIKE, ILIKE, IN, NOT IN");
  });

  it("rejects IS NULL on attributes", () => {
    expect(filterError("end_time IS NULL").message).toContain("Invalid comparator 'IS NULL' for attribute 'end_time'");
  });

  it("wants whole milliseconds for times", () => {
    const error = filterError("start_time > 1.5");
    expect(error.position).toBe(13);
    expect(error.message).toContain("whole milliseconds");
    expect(one("created > 1.7e12").value).toBe(1.7e12);
  });

  it("rejects a quoted time", () => {
    expect(filterError("end_time < '5'").message).toContain("Expected a number for attribute 'end_time'");
  });
});

describe("parseSearchFilter: datasets", () => {
  it.each(["dataset", "datasets"])("accepts the prefix %s", (prefix) => {
    expect(one(`${prefix}.name = 'iris'`)).toMatchObject({ entity: "dataset", key: "name", value: "iris" });
  });

  it.each(["name", "digest", "context"])("accepts every string comparator on %s", (key) => {
    for (const op of ["=", "!=", "LIKE", "ILIKE"] as const) {
      expect(one(`datasets.${key} ${op} 'v'`)).toMatchObject({ entity: "dataset", key, op, value: "v" });
    }
    expect(one(`datasets.${key} IN ('a', 'B')`)).toMatchObject({ op: "IN", value: ["a", "B"] });
    expect(one(`datasets.${key} NOT IN ('a')`)).toMatchObject({ op: "NOT IN", value: ["a"] });
  });

  it("rejects unknown dataset fields", () => {
    const error = filterError("datasets.size = '1'");
    expect(error.position).toBe(9);
    expect(error.message).toContain("datasets.name, datasets.digest or datasets.context");
  });

  it("rejects numeric comparators and unquoted values", () => {
    expect(filterError("datasets.name > 'a'").message).toContain("datasets support =, !=, LIKE, ILIKE, IN, NOT IN");
    expect(filterError("datasets.digest = 12").position).toBe(18);
  });
});

describe("parseSearchFilter: quoting", () => {
  it("reads single- and double-quoted values", () => {
    expect(one("params.a = 'x y'").value).toBe("x y");
    expect(one('params.a = "x y"').value).toBe("x y");
  });

  it("unescapes a doubled quote", () => {
    expect(one("params.a = 'it''s'").value).toBe("it's");
    expect(one('params.a = "say ""hi"""').value).toBe('say "hi"');
  });

  it("unescapes a backslash-escaped quote", () => {
    expect(one("params.a = 'it\\'s'").value).toBe("it's");
    expect(one('params.a = "say \\"hi\\""').value).toBe('say "hi"');
  });

  it("keeps other backslashes as written so LIKE patterns reach the database unchanged", () => {
    expect(one("params.path = 'C:\\data\\x'").value).toBe("C:\\data\\x");
    expect(one("params.pct LIKE '100\\%'").value).toBe("100\\%");
    expect(parseSearchFilter("params.dir = 'C:\\\\' AND params.b = 'y'").map((clause) => clause.value)).toEqual([
      "C:\\\\",
      "y",
    ]);
  });

  it("keeps the other quote kind inside a string", () => {
    expect(one(`params.a = "it's"`).value).toBe("it's");
    expect(one(`params.a = 'say "hi"'`).value).toBe('say "hi"');
  });

  it("reads empty strings", () => {
    expect(one("tags.note = ''").value).toBe("");
  });

  it("reads keys quoted in backticks or double quotes", () => {
    expect(one("metrics.`my metric` > 1")).toMatchObject({ entity: "metric", key: "my metric" });
    expect(one('metrics."val/loss" < 0.2').key).toBe("val/loss");
    expect(one("params.`a``b` = 'x'").key).toBe("a`b");
  });

  it("accepts a backtick-quoted prefix", () => {
    expect(one("`metrics`.acc > 1")).toMatchObject({ entity: "metric", key: "acc" });
  });

  it("accepts unicode and digit-leading keys", () => {
    expect(one("metrics.précision > 0").key).toBe("précision");
    expect(one("metrics.1st_epoch_loss < 3").key).toBe("1st_epoch_loss");
  });

  it("does not treat AND inside a quoted value as a joiner", () => {
    expect(one("params.q = 'a AND b OR c'").value).toBe("a AND b OR c");
  });
});

describe("parseSearchFilter: combining clauses", () => {
  it("joins clauses with AND and records where each one starts", () => {
    expect(parseSearchFilter("metrics.acc > 0.9 AND params.lr = '0.01' AND tags.team = 'vision'")).toEqual([
      { entity: "metric", key: "acc", op: ">", value: 0.9, position: 0 },
      { entity: "param", key: "lr", op: "=", value: "0.01", position: 22 },
      { entity: "tag", key: "team", op: "=", value: "vision", position: 45 },
    ]);
  });

  it("treats AND, LIKE, ILIKE, IN, NOT, IS and NULL case-insensitively", () => {
    const clauses = parseSearchFilter(
      "params.a like 'x%' and params.b Ilike 'y' aNd run_id in ('r') AND run_id not IN ('s') and tags.t is NOT null",
    );
    expect(clauses.map((clause) => clause.op)).toEqual(["LIKE", "ILIKE", "IN", "NOT IN", "IS NOT NULL"]);
  });

  it("tolerates surrounding and repeated whitespace, including newlines", () => {
    expect(parseSearchFilter("\n  metrics.a   >   1\n  AND\n  metrics.b < 2  ")).toHaveLength(2);
  });

  it("accepts a quoted value directly followed by AND", () => {
    expect(parseSearchFilter("params.a = 'x'AND params.b = 'y'")).toHaveLength(2);
  });
});

describe("parseSearchFilter: errors", () => {
  it("rejects OR and points at it", () => {
    const error = filterError("metrics.a > 1 OR metrics.b < 2");
    expect(error.position).toBe(14);
    expect(error.message).toContain("OR is not supported");
    expect(error.message).toContain("AND");
    expect(filterError("metrics.a > 1 or metrics.b < 2").position).toBe(14);
  });

  it("reports an unclosed string at its opening quote", () => {
    const error = filterError("params.lr = '0.01");
    expect(error.position).toBe(12);
    expect(error.message).toBe("Unclosed string starting at position 12: add a closing '");
  });

  it("reports an unclosed double-quoted string and an unclosed backtick", () => {
    expect(filterError('params.lr = "0.01').position).toBe(12);
    expect(filterError("metrics.`val loss > 1").position).toBe(8);
  });

  it("reports a string whose closing quote is escaped as unclosed", () => {
    expect(filterError("params.a = 'x\\'").position).toBe(11);
  });

  it("reports a missing value at the end of the filter", () => {
    const error = filterError("metrics.acc >");
    expect(error.position).toBe(13);
    expect(error.message).toContain("Missing value after '>'");
    expect(filterError("params.lr = ").message).toContain("a quoted string");
  });

  it("reports a missing comparator", () => {
    const error = filterError("metrics.acc");
    expect(error.position).toBe(11);
    expect(error.message).toContain("Missing comparator after 'metrics.acc'");
  });

  it("reports an unknown entity prefix", () => {
    const error = filterError("metrics.a > 1 AND metricz.b > 1");
    expect(error.position).toBe(18);
    expect(error.message).toContain("Unknown entity prefix 'metricz'");
    expect(error.message).toContain("metrics., params., tags., attributes. or datasets.");
  });

  it("says entity prefixes are case-sensitive", () => {
    expect(filterError("Metrics.a > 1").message).toContain("write 'metrics'");
  });

  it("reports trailing garbage", () => {
    const error = filterError("metrics.a > 1 extra");
    expect(error.position).toBe(14);
    expect(error.message).toBe("Unexpected 'extra' at position 14: join clauses with AND");
    expect(filterError("metrics.a > 1;").position).toBe(13);
    expect(filterError("params.a = 'x' 'y'").position).toBe(15);
  });

  it("reports a dangling AND", () => {
    const error = filterError("metrics.a > 1 AND ");
    expect(error.position).toBe(18);
    expect(error.message).toContain("Expected a clause after AND");
  });

  it("reports a leading AND as an unknown attribute", () => {
    expect(filterError("AND metrics.a > 1").position).toBe(0);
  });

  it("explains how to quote a key with a space or a special character", () => {
    const spaced = filterError("metrics.val loss > 1");
    expect(spaced.position).toBe(12);
    expect(spaced.message).toContain("metrics.`val loss`");
    const dashed = filterError("metrics.val-loss > 1");
    expect(dashed.position).toBe(11);
    expect(dashed.message).toContain("metrics.`val-loss`");
  });

  it("reports a key missing after the dot", () => {
    expect(filterError("metrics. > 1").position).toBe(8);
    expect(filterError("metrics.`` > 1").message).toContain("Empty key");
  });

  it("rejects mixing quoted and unquoted parts of a dotted key", () => {
    expect(filterError("tags.mlflow.`runName` = 'x'").position).toBe(12);
  });

  it("suggests = for == and != for <>", () => {
    expect(filterError("metrics.a == 1").message).toContain("write '='");
    expect(filterError("metrics.a <> 1").message).toContain("write '!='");
    expect(filterError("metrics.a =< 1").position).toBe(10);
  });

  it("rejects NOT LIKE, RLIKE, and IS without NULL", () => {
    expect(filterError("params.a NOT LIKE 'x'").message).toContain("NOT LIKE is not supported");
    expect(filterError("params.a RLIKE 'x'").message).toContain("RLIKE is not supported");
    expect(filterError("params.a IS 'x'").position).toBe(12);
    expect(filterError("params.a IS NOT 'x'").position).toBe(16);
    expect(filterError("run_id NOT ('a')").position).toBe(11);
  });

  it("rejects parentheses for grouping and a leading NOT", () => {
    expect(filterError("(metrics.a > 1)").message).toContain("Parentheses are not supported");
    expect(filterError("NOT metrics.a > 1").message).toContain("use !=, NOT IN or IS NOT NULL");
  });

  it("rejects malformed IN lists", () => {
    expect(filterError("run_id IN 'a'").message).toContain("Expected a parenthesised list after IN");
    expect(filterError("run_id IN ()").message).toContain("Empty list");
    expect(filterError("run_id IN ('a' 'b')").position).toBe(15);
    expect(filterError("run_id IN ('a', 1)").position).toBe(16);
    expect(filterError("run_id IN ('a'").message).toContain("Unclosed list starting at position 10");
    expect(filterError("run_id = ('a')").message).toContain("needs IN or NOT IN");
  });

  it("rejects a value that does not start a clause", () => {
    expect(filterError("'x' = params.a").position).toBe(0);
    expect(filterError("1 = 1").position).toBe(0);
  });

  it("is an Error with a name, a position and MLflow's error code", () => {
    const error = filterError("metrics.a > ");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("SearchFilterError");
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
  });
});

describe("parseOrderBy", () => {
  it.each([
    ["metrics.`val loss` DESC", { entity: "metric", key: "val loss", ascending: false }],
    ["attributes.start_time", { entity: "attribute", key: "start_time", ascending: true }],
    ["params.lr ASC", { entity: "param", key: "lr", ascending: true }],
    ["run_name", { entity: "attribute", key: "run_name", ascending: true }],
    ["tags.`mlflow.runName` desc", { entity: "tag", key: "mlflow.runName", ascending: false }],
    ['tags."mlflow.runName" Asc', { entity: "tag", key: "mlflow.runName", ascending: true }],
    ["tags.mlflow.runName DESC", { entity: "tag", key: "mlflow.runName", ascending: false }],
    ["created DESC", { entity: "attribute", key: "start_time", ascending: false }],
    ["attr.end_time", { entity: "attribute", key: "end_time", ascending: true }],
    ["metric.m", { entity: "metric", key: "m", ascending: true }],
    ["  metrics.acc   DESC  ", { entity: "metric", key: "acc", ascending: false }],
  ])("parses %s", (clause, expected) => {
    expect(parseOrderBy(clause)).toEqual(expected);
  });

  it("rejects an unknown direction and suggests quoting a spaced key", () => {
    const error = failure(() => parseOrderBy("metrics.val loss DESC"));
    expect(error.position).toBe(12);
    expect(error.message).toContain("Expected ASC or DESC");
    expect(error.message).toContain("metrics.`val loss` DESC");
  });

  it("rejects anything after the direction", () => {
    const error = failure(() => parseOrderBy("metrics.a DESC, metrics.b"));
    expect(error.position).toBe(14);
  });

  it("rejects empty clauses, unknown prefixes and attributes, and dataset fields", () => {
    expect(failure(() => parseOrderBy("  ")).position).toBe(0);
    expect(failure(() => parseOrderBy("metricz.a")).message).toContain("Unknown entity prefix 'metricz'");
    expect(failure(() => parseOrderBy("accuracy DESC")).message).toContain("Unknown attribute 'accuracy'");
    expect(failure(() => parseOrderBy("datasets.name")).message).toContain("Cannot order by dataset fields");
    expect(failure(() => parseOrderBy("metrics.`a DESC")).position).toBe(8);
  });
});

describe("comparatorsFor: what the editor's autocomplete offers", () => {
  const everyOp = ["=", "!=", "<", "<=", ">", ">=", "LIKE", "ILIKE", "IN", "NOT IN", "IS NULL", "IS NOT NULL"] as const;
  function clauseWith(source: string, op: (typeof everyOp)[number], numeric: boolean): string {
    if (op === "IS NULL" || op === "IS NOT NULL") return `${source} ${op}`;
    if (op === "IN" || op === "NOT IN") return `${source} ${op} ('a')`;
    return `${source} ${op} ${numeric ? "1" : "'a'"}`;
  }
  function accepts(filter: string): boolean {
    try {
      parseSearchFilter(filter);
      return true;
    } catch {
      return false;
    }
  }

  it.each([
    ["metric", "acc", "metrics.acc", true],
    ["param", "lr", "params.lr", false],
    ["tag", "team", "tags.team", false],
    ["attribute", "run_id", "attributes.run_id", false],
    ["attribute", "status", "attributes.status", false],
    ["attribute", "start_time", "attributes.start_time", true],
    ["dataset", "name", "datasets.name", false],
  ] as const)("offers exactly the comparators the parser accepts for %s %s", (entity, key, source, numeric) => {
    const offered = comparatorsFor(entity, key);
    for (const op of everyOp) expect([op, accepts(clauseWith(source, op, numeric))]).toEqual([op, offered.includes(op)]);
  });

  it("lists canonical attribute names and resolves prefixes as the parser does", () => {
    expect(FILTER_ATTRIBUTE_NAMES).toEqual(["run_id", "run_name", "status", "user_id", "artifact_uri", "lifecycle_stage", "start_time", "end_time"]);
    for (const name of FILTER_ATTRIBUTE_NAMES) expect(accepts(`attributes.${name} = 'x'`) || accepts(`attributes.${name} = 1`)).toBe(true);
    expect(entityOfPrefix("metrics")).toBe("metric");
    expect(entityOfPrefix("attr")).toBe("attribute");
    expect(entityOfPrefix("Metrics")).toBeUndefined();
    expect(entityOfPrefix("constructor")).toBeUndefined();
  });
});
