// Evaluates declared quality rules on a dataset file with DuckDB: counts, a plain sentence, sample offending rows.
import { LIST, VARCHAR, listValue, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";
import { zQualityRuleInput, type QualityResultOutput, type QualityRuleInput } from "./schema";
import { invalidParameter, type DomainError } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import {
  describeRelation,
  isNumericType,
  loadDatasetTable,
  quoteIdentifier,
  toJsonCell,
  withDuckDB,
  type ColumnSchema,
  type DatasetFileFormat,
} from "./duckdb";

// The registry's schemas are the one source of these shapes; re-exported under the engine's names.
export const zQualityRule = zQualityRuleInput;
export type QualityRule = QualityRuleInput;
export type QualityResult = QualityResultOutput;

const sampleRowLimit = 5;

const count = (n: number) => n.toLocaleString("en-US");
const percent = (share: number) => `${(share * 100).toLocaleString("en-US", { maximumFractionDigits: 2 })}%`;

/** Null when DuckDB's regular-expression engine (RE2) accepts the pattern, else why it does not. */
export async function regexPatternProblem(pattern: string, connection?: DuckDBConnection): Promise<string | null> {
  return (await regexPatternRefusal(pattern, connection))?.message ?? null;
}

/** regexPatternProblem as a refusal said both ways (English message, catalogue sentence with DuckDB's reason). */
export async function regexPatternRefusal(pattern: string, connection?: DuckDBConnection): Promise<DomainError | null> {
  const check = async (c: DuckDBConnection) => {
    try {
      await c.runAndReadAll("SELECT regexp_full_match('', $pattern)", { pattern });
      return null;
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).replace(/^Invalid Input Error:\s*/, "");
      return invalidParameter(
        `The pattern '${pattern}' is not a valid regular expression (${reason}); fix it and evaluate again.`,
        sentence("error.datasets.regex_invalid", { pattern, reason }),
      );
    }
  };
  return connection ? check(connection) : withDuckDB(check);
}

/** How one rule is checked: which rows it looks at, which of those fail, and the sentences to report. */
interface RuleCheck {
  checked: string;
  failing: string;
  params: Record<string, DuckDBValue>;
  types?: Record<string, typeof VARCHAR | ReturnType<typeof LIST>>;
  describe: (failing: number, checked: number) => { passed: boolean; message: string };
}

function ruleCheck(rule: QualityRule, column: ColumnSchema): RuleCheck {
  const q = quoteIdentifier(rule.column);
  const name = `'${rule.column}'`;
  const present = `${q} IS NOT NULL`;
  switch (rule.kind) {
    case "not_null":
      return {
        checked: "TRUE",
        failing: `${q} IS NULL`,
        params: {},
        describe: (failing, checked) => ({
          passed: failing === 0,
          message: failing ? `${count(failing)} of ${count(checked)} rows have no value in ${name}` : `All ${count(checked)} rows have a value in ${name}`,
        }),
      };
    case "range": {
      const numeric = isNumericType(column.duckdbType);
      const x = numeric ? `CAST(${q} AS DOUBLE)` : `TRY_CAST(${q} AS DOUBLE)`;
      const outside = [
        ...(numeric ? [] : [`${x} IS NULL`]),
        ...(rule.min !== undefined ? [`${x} < $min`] : []),
        ...(rule.max !== undefined ? [`${x} > $max`] : []),
      ];
      const params: Record<string, DuckDBValue> = {};
      if (rule.min !== undefined) params.min = rule.min;
      if (rule.max !== undefined) params.max = rule.max;
      const bounds =
        rule.min !== undefined && rule.max !== undefined
          ? `between ${rule.min} and ${rule.max}`
          : rule.min !== undefined
            ? `at least ${rule.min}`
            : `at most ${rule.max}`;
      return {
        checked: present,
        failing: `${present} AND (${outside.join(" OR ")})`,
        params,
        describe: (failing, checked) => ({
          passed: failing === 0,
          message: failing
            ? `${count(failing)} of ${count(checked)} values in ${name} are not ${numeric ? "" : "numbers "}${bounds}`
            : `All ${count(checked)} values in ${name} are ${bounds}`,
        }),
      };
    }
    case "unique":
      return {
        checked: present,
        failing: `${present} AND ${q} IN (SELECT ${q} FROM t WHERE ${present} GROUP BY ${q} HAVING count(*) > 1)`,
        params: {},
        describe: (failing, checked) => ({
          passed: failing === 0,
          message: failing
            ? `${count(failing)} of ${count(checked)} values in ${name} are repeated in another row`
            : `All ${count(checked)} values in ${name} are unique`,
        }),
      };
    case "allowed_values": {
      const shown = rule.values.slice(0, 10).join(", ") + (rule.values.length > 10 ? ", …" : "");
      return {
        checked: present,
        failing: `${present} AND NOT list_contains($allowed, CAST(${q} AS VARCHAR))`,
        params: { allowed: listValue(rule.values) },
        types: { allowed: LIST(VARCHAR) },
        describe: (failing, checked) => ({
          passed: failing === 0,
          message: failing
            ? `${count(failing)} of ${count(checked)} values in ${name} are not among the allowed values (${shown})`
            : `All ${count(checked)} values in ${name} are among the allowed values (${shown})`,
        }),
      };
    }
    case "regex":
      return {
        checked: present,
        failing: `${present} AND NOT regexp_full_match(CAST(${q} AS VARCHAR), $pattern)`,
        params: { pattern: rule.pattern },
        describe: (failing, checked) => ({
          passed: failing === 0,
          message: failing
            ? `${count(failing)} of ${count(checked)} values in ${name} do not match the pattern '${rule.pattern}'`
            : `All ${count(checked)} values in ${name} match the pattern '${rule.pattern}'`,
        }),
      };
    case "max_missing":
      return {
        checked: "TRUE",
        failing: `${q} IS NULL`,
        params: {},
        describe: (failing, checked) => {
          const share = checked ? failing / checked : 0;
          const passed = share <= rule.maxShare;
          const observed = `${percent(share)} of rows (${count(failing)} of ${count(checked)}) have no value in ${name}`;
          return { passed, message: `${observed}; ${passed ? "within" : "more than"} the allowed ${percent(rule.maxShare)}` };
        },
      };
  }
}

async function evaluateRule(connection: DuckDBConnection, schema: ColumnSchema[], rule: QualityRule & { id: number }): Promise<QualityResult> {
  const base = { ruleId: rule.id, kind: rule.kind, column: rule.column };
  const column = schema.find((c) => c.name === rule.column);
  if (!column) {
    return { ...base, passed: false, failingCount: 0, checkedCount: 0, message: `column '${rule.column}' is not in this version`, sampleRows: [] };
  }
  if (rule.kind === "regex") {
    const problem = await regexPatternProblem(rule.pattern, connection);
    if (problem) return { ...base, passed: false, failingCount: 0, checkedCount: 0, message: problem, sampleRows: [] };
  }
  const check = ruleCheck(rule, column);
  const counts = await connection.runAndReadAll(
    `SELECT count(*) FILTER (WHERE ${check.checked}) AS checked, count(*) FILTER (WHERE ${check.failing}) AS failing FROM t`,
    check.params,
    check.types,
  );
  const [row] = counts.getRowObjectsJS();
  const checkedCount = Number(row.checked);
  const failingCount = Number(row.failing);
  const { passed, message } = check.describe(failingCount, checkedCount);
  let sampleRows: QualityResult["sampleRows"] = [];
  if (!passed && failingCount > 0) {
    const sample = await connection.runAndReadAll(`SELECT * FROM t WHERE ${check.failing} LIMIT ${sampleRowLimit}`, check.params, check.types);
    const names = sample.columnNames();
    const types = sample.columnTypes();
    sampleRows = sample.getRowsJS().map((values) => Object.fromEntries(names.map((n, i) => [n, toJsonCell(values[i], types[i])])));
  }
  return { ...base, passed, failingCount, checkedCount, message, sampleRows };
}

/** Evaluates each rule on the file (loaded once); a rule naming a column the file lacks fails with that reason. */
export async function evaluateQualityRules(
  path: string,
  format: DatasetFileFormat,
  rules: Array<QualityRule & { id: number }>,
): Promise<QualityResult[]> {
  if (!rules.length) return [];
  return withDuckDB(async (connection) => {
    await loadDatasetTable(connection, path, format);
    const schema = await describeRelation(connection);
    const results: QualityResult[] = [];
    for (const rule of rules) results.push(await evaluateRule(connection, schema, rule));
    return results;
  });
}
