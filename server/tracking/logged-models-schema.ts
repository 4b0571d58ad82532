// Zod schemas of MLflow 3 logged models (service.proto LoggedModel*) and the search filter they accept.
import { z } from "zod";
import { zInt64 } from "./schema";

export const loggedModelStatuses = ["LOGGED_MODEL_PENDING", "LOGGED_MODEL_READY", "LOGGED_MODEL_UPLOAD_FAILED"] as const;
export type LoggedModelStatus = (typeof loggedModelStatuses)[number];

/** proto3 JSON sends an enum as its name or its number; both are accepted, UNSPECIFIED (0) is not. */
export const zLoggedModelStatus = z.union([
  z.enum(loggedModelStatuses),
  z
    .number()
    .int()
    .refine((n) => n >= 1 && n <= loggedModelStatuses.length, "must be 1 (PENDING), 2 (READY) or 3 (UPLOAD_FAILED)")
    .transform((n) => loggedModelStatuses[n - 1]),
]);

const zEntry = z.object({ key: z.string(), value: z.string() });
export type LoggedModelEntry = z.infer<typeof zEntry>;

/** MLflow refuses these characters in a logged model name (they break `models:/` URIs). */
const forbiddenNameCharacters = /[/:.%"']/;

export const zModelId = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, "must be a logged model id such as m-0123abcd…");

// ---- requests (field names as MLflow's service.proto) ----

export const zCreateLoggedModel = z.object({
  experiment_id: z.string().regex(/^\d+$/, "must be an experiment id (digits)"),
  name: z
    .string()
    .min(1, "name must not be empty; leave it out to get a generated name")
    .max(500)
    .refine((n) => !forbiddenNameCharacters.test(n), "must not contain '/', ':', '.', '%', '\"' or \"'\"")
    .optional(),
  model_type: z.string().max(500).optional(),
  source_run_id: z.string().regex(/^[0-9a-zA-Z-]{1,64}$/, "must be a run id").optional(),
  params: z.array(zEntry).max(1000).optional(),
  tags: z.array(zEntry).max(1000).optional(),
});
export type CreateLoggedModelInput = z.infer<typeof zCreateLoggedModel>;

export const zFinalizeLoggedModel = z.object({ status: zLoggedModelStatus });

export const zLogLoggedModelParams = z.object({ params: z.array(zEntry).max(1000).default([]) });
export const zSetLoggedModelTags = z.object({ tags: z.array(zEntry).max(1000).default([]) });

export const zListLoggedModelArtifacts = z.object({
  artifact_directory_path: z.string().max(4000).optional(),
  page_token: z.string().optional(),
});

// ---- search filter: MLflow's logged-model grammar, parsed here so the service only compiles clauses ----

export type LoggedModelFilterEntity = "attribute" | "metric" | "param" | "tag";
export type LoggedModelFilterOp = "=" | "!=" | "<" | "<=" | ">" | ">=" | "LIKE" | "ILIKE" | "IN" | "NOT IN";

export interface LoggedModelFilterClause {
  entity: LoggedModelFilterEntity;
  key: string;
  op: LoggedModelFilterOp;
  value: string | number | string[];
}

const prefixes = new Map<string, LoggedModelFilterEntity>([
  ["attribute", "attribute"],
  ["attributes", "attribute"],
  ["attr", "attribute"],
  ["metric", "metric"],
  ["metrics", "metric"],
  ["param", "param"],
  ["params", "param"],
  ["parameter", "param"],
  ["parameters", "param"],
  ["tag", "tag"],
  ["tags", "tag"],
]);

/** Attribute names a filter or order_by may use, with the aliases MLflow accepts. */
export const loggedModelAttributes = new Map<string, string>([
  ["model_id", "model_id"],
  ["name", "name"],
  ["model_type", "model_type"],
  ["status", "status"],
  ["source_run_id", "source_run_id"],
  ["creation_time", "creation_timestamp"],
  ["creation_timestamp", "creation_timestamp"],
  ["creation_timestamp_ms", "creation_timestamp"],
  ["last_updated_timestamp", "last_updated_timestamp"],
  ["last_updated_timestamp_ms", "last_updated_timestamp"],
]);
export const numericLoggedModelAttributes = new Set(["creation_timestamp", "last_updated_timestamp"]);

type Token =
  | { kind: "word"; text: string; at: number }
  | { kind: "quoted-key"; text: string; at: number }
  | { kind: "string"; text: string; at: number }
  | { kind: "number"; value: number; at: number }
  | { kind: "op"; text: string; at: number }
  | { kind: "punct"; text: "(" | ")" | ","; at: number };

class FilterSyntaxError extends Error {}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"' || c === "`") {
      const start = i;
      let text = "";
      i++;
      for (;;) {
        if (i >= input.length) throw new FilterSyntaxError(`Unclosed ${c} starting at position ${start}.`);
        if (input[i] === "\\" && i + 1 < input.length) {
          text += input[i + 1];
          i += 2;
        } else if (input[i] === c) {
          i++;
          break;
        } else {
          text += input[i++];
        }
      }
      // Backticks and double quotes name keys; single quotes are values (MLflow reads "x" as a value too).
      tokens.push({ kind: c === "`" ? "quoted-key" : "string", text, at: start });
    } else if ("(),".includes(c)) {
      tokens.push({ kind: "punct", text: c as "(" | ")" | ",", at: i++ });
    } else if ("=!<>".includes(c)) {
      const two = input.slice(i, i + 2);
      const text = ["!=", "<=", ">=", "=="].includes(two) ? two : c;
      if (text === "!") throw new FilterSyntaxError(`Expected '!=' at position ${i}.`);
      tokens.push({ kind: "op", text: text === "==" ? "=" : text, at: i });
      i += text.length;
    } else if (/[-+\d.]/.test(c) && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.test(input.slice(i)) && !/[A-Za-z_]/.test(input[i - 1] ?? "")) {
      const match = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(input.slice(i))!;
      tokens.push({ kind: "number", value: Number(match[0]), at: i });
      i += match[0].length;
    } else if (/[\w.-]/.test(c)) {
      const start = i;
      // A key part may follow a dot with backticks: tags.`my key`.
      while (i < input.length && /[\w.-]/.test(input[i])) i++;
      tokens.push({ kind: "word", text: input.slice(start, i), at: start });
    } else {
      throw new FilterSyntaxError(`Unexpected character '${c}' at position ${i}.`);
    }
  }
  return tokens;
}

function parseClauses(input: string): LoggedModelFilterClause[] {
  const tokens = tokenize(input);
  const clauses: LoggedModelFilterClause[] = [];
  let p = 0;
  const describe = (t: Token | undefined) =>
    t === undefined ? "the end of the filter" : `'${"text" in t ? t.text : t.value}' at position ${t.at}`;
  for (;;) {
    const first = tokens[p++];
    if (!first || (first.kind !== "word" && first.kind !== "quoted-key")) {
      throw new FilterSyntaxError(`Expected a field such as name, params.alpha or tags.team, found ${describe(first)}.`);
    }
    let entity: LoggedModelFilterEntity = "attribute";
    let key: string;
    if (first.kind === "quoted-key") {
      key = first.text;
    } else {
      const dot = first.text.indexOf(".");
      const prefix = dot > 0 ? prefixes.get(first.text.slice(0, dot).toLowerCase()) : undefined;
      if (prefix) {
        entity = prefix;
        key = first.text.slice(dot + 1);
        const quoted = tokens[p];
        if (!key && (quoted?.kind === "quoted-key" || quoted?.kind === "string")) {
          key = quoted.text;
          p++;
        }
        if (!key) throw new FilterSyntaxError(`Missing key after '${first.text}' at position ${first.at}.`);
      } else {
        key = first.text;
      }
    }
    if (entity === "attribute") {
      const canonical = loggedModelAttributes.get(key);
      if (!canonical) {
        throw new FilterSyntaxError(
          `Unknown attribute '${key}' at position ${first.at}: use ${[...loggedModelAttributes.keys()].join(", ")}, or params., tags., metrics.`,
        );
      }
      key = canonical;
    }
    const opToken = tokens[p++];
    let op: LoggedModelFilterOp;
    if (opToken?.kind === "op") {
      op = opToken.text as LoggedModelFilterOp;
    } else if (opToken?.kind === "word" && ["LIKE", "ILIKE", "IN"].includes(opToken.text.toUpperCase())) {
      op = opToken.text.toUpperCase() as LoggedModelFilterOp;
    } else if (opToken?.kind === "word" && opToken.text.toUpperCase() === "NOT" && tokens[p]?.kind === "word" && (tokens[p] as { text: string }).text.toUpperCase() === "IN") {
      p++;
      op = "NOT IN";
    } else {
      throw new FilterSyntaxError(`Expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN), found ${describe(opToken)}.`);
    }
    const numeric = entity === "metric" || (entity === "attribute" && numericLoggedModelAttributes.has(key));
    let value: string | number | string[];
    if (op === "IN" || op === "NOT IN") {
      if (numeric) throw new FilterSyntaxError(`'${op}' only applies to string fields, not '${key}'.`);
      if (tokens[p]?.kind !== "punct" || (tokens[p] as { text: string }).text !== "(") {
        throw new FilterSyntaxError(`Expected '(' after ${op}, found ${describe(tokens[p])}.`);
      }
      p++;
      const list: string[] = [];
      for (;;) {
        const item = tokens[p++];
        if (item?.kind !== "string") throw new FilterSyntaxError(`Expected a quoted string in the ${op} list, found ${describe(item)}.`);
        list.push(item.text);
        const sep = tokens[p++];
        if (sep?.kind === "punct" && sep.text === ")") break;
        if (!(sep?.kind === "punct" && sep.text === ",")) throw new FilterSyntaxError(`Expected ',' or ')' in the ${op} list, found ${describe(sep)}.`);
      }
      value = list;
    } else {
      const v = tokens[p++];
      if (numeric) {
        if (v?.kind !== "number") throw new FilterSyntaxError(`'${key}' is numeric: compare it with a number, found ${describe(v)}.`);
        if (op === "LIKE" || op === "ILIKE") throw new FilterSyntaxError(`'${op}' only applies to string fields, not '${key}'.`);
        value = v.value;
      } else {
        if (v?.kind !== "string") throw new FilterSyntaxError(`'${key}' is a string: compare it with a quoted value such as 'abc', found ${describe(v)}.`);
        if (["<", "<=", ">", ">="].includes(op)) throw new FilterSyntaxError(`'${op}' only applies to numeric fields, not '${key}'.`);
        value = v.text;
      }
    }
    clauses.push({ entity, key, op, value });
    const next = tokens[p];
    if (!next) return clauses;
    if (next.kind === "word" && next.text.toUpperCase() === "AND") {
      p++;
      continue;
    }
    throw new FilterSyntaxError(`Expected AND between conditions, found ${describe(next)} (OR is not supported).`);
  }
}

export const zLoggedModelFilter = z
  .string()
  .max(10000)
  .transform((text, ctx): LoggedModelFilterClause[] => {
    if (!text.trim()) return [];
    try {
      return parseClauses(text);
    } catch (error) {
      if (!(error instanceof FilterSyntaxError)) throw error;
      ctx.addIssue({ code: "custom", message: `Invalid filter '${text}': ${error.message}` });
      return z.NEVER;
    }
  });

export const zSearchLoggedModels = z.object({
  experiment_ids: z.array(z.string().regex(/^\d+$/, "must be an experiment id (digits)")).min(1, "give at least one experiment id").max(1000),
  filter: zLoggedModelFilter.optional(),
  datasets: z.array(z.object({ dataset_name: z.string(), dataset_digest: z.string().optional() })).max(100).optional(),
  max_results: zInt64.pipe(z.number().int().min(1, "max_results must be at least 1").max(1000, "max_results must be at most 1000")).optional(),
  order_by: z
    .array(
      z.object({
        field_name: z.string().min(1, "field_name is required"),
        ascending: z.boolean().optional(),
        dataset_name: z.string().optional(),
        dataset_digest: z.string().optional(),
      }),
    )
    .max(20)
    .optional(),
  page_token: z.string().optional(),
});
export type SearchLoggedModelsInput = z.infer<typeof zSearchLoggedModels>;

// ---- run-side requests made by log_model ----

export const zLogOutputs = z.object({
  run_id: z.string().regex(/^[0-9a-zA-Z-]{1,64}$/, "must be a run id"),
  models: z.array(z.object({ model_id: zModelId, step: zInt64.default(0) })).max(100).default([]),
});

export const zLogModel = z.object({
  run_id: z.string().regex(/^[0-9a-zA-Z-]{1,64}$/, "must be a run id"),
  model_json: z.string().min(1, "model_json is required"),
});

/** The MLmodel fields MLflow's server insists on before it records a model in the run's history. */
export const zModelJson = z.looseObject({
  artifact_path: z.unknown(),
  flavors: z.unknown(),
  utc_time_created: z.unknown(),
  run_id: z.unknown(),
});

// ---- responses ----

export const zLoggedModelInfo = z.object({
  model_id: z.string(),
  experiment_id: z.string(),
  name: z.string(),
  creation_timestamp_ms: z.number(),
  last_updated_timestamp_ms: z.number(),
  artifact_uri: z.string(),
  status: z.enum(loggedModelStatuses),
  model_type: z.string().optional(),
  source_run_id: z.string().optional(),
  status_message: z.string().optional(),
  tags: z.array(zEntry),
});

export const zLoggedModel = z.object({
  info: zLoggedModelInfo,
  data: z.object({
    params: z.array(zEntry),
    metrics: z.array(z.object({ key: z.string(), value: z.number(), timestamp: z.number(), step: z.number() })),
  }),
});
export type LoggedModel = z.infer<typeof zLoggedModel>;

export const zSearchLoggedModelsResponse = z.object({
  models: z.array(zLoggedModel),
  next_page_token: z.string().optional(),
});
