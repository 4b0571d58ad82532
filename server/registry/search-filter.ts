// MLflow's registry search filters (`name LIKE '%x%' AND tags.team = 'a'`) parsed into clauses the services turn into SQL.
import { invalidParameter } from "../errors";
import { sentence, type ServerSentence } from "@/lib/i18n/server-sentence";

export type FilterOp = "=" | "!=" | "<" | "<=" | ">" | ">=" | "LIKE" | "ILIKE" | "IN" | "NOT IN";

export interface FilterClause {
  /** An attribute name (lower case) or, for tags, the tag key. */
  key: string;
  isTag: boolean;
  op: FilterOp;
  value: string | number | string[];
}

export interface FilterGrammar {
  /** Attribute → the operators it accepts and whether its values are numbers. */
  attributes: Record<string, { ops: readonly FilterOp[]; numeric?: boolean }>;
  tagOps: readonly FilterOp[];
  example: string;
}

const quoted = String.raw`'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"`;
const clausePattern = new RegExp(
  String.raw`\s*((?:attributes?\.|attr\.)?\w+|tags?\.(?:\x60[^\x60]+\x60|"[^"]+"|[\w.]+))\s*(!=|<=|>=|=|<|>|NOT\s+IN\b|IN\b|ILIKE\b|LIKE\b)\s*(${quoted}|-?\d+|\(\s*(?:(?:${quoted})\s*,?\s*)*\))\s*`,
  "iy",
);
const andPattern = /AND\s+/iy;

function unquote(text: string): string {
  return text.slice(1, -1).replace(/\\(.)/g, "$1");
}

export function parseRegistryFilter(filter: string | undefined, grammar: FilterGrammar, entity: string): FilterClause[] {
  if (!filter?.trim()) return [];
  const clauses: FilterClause[] = [];
  // `why` in English for the message, and as a sentence (error.search.why.*) for the pages.
  const bad = (why: string, said: ServerSentence) =>
    invalidParameter(
      `Invalid ${entity} search filter '${filter}': ${why}. Example: ${grammar.example}`,
      sentence("error.search.filter_invalid", { entity: entity.replaceAll(" ", "_"), filter, why: [said], example: grammar.example }),
    );
  let at = 0;
  for (;;) {
    clausePattern.lastIndex = at;
    const match = clausePattern.exec(filter);
    if (!match) throw bad(`could not parse it from position ${at + 1}`, sentence("error.search.why.unparsable", { position: at + 1 }));
    at = clausePattern.lastIndex;
    const [, rawKey, rawOp, rawValue] = match;
    const op = rawOp.toUpperCase().replace(/\s+/, " ") as FilterOp;
    const isTag = /^tags?\./i.test(rawKey);
    const key = isTag ? rawKey.replace(/^tags?\./i, "").replace(/^[`"]|[`"]$/g, "") : rawKey.replace(/^(attributes?|attr)\./i, "").toLowerCase();
    const allowed = isTag ? { ops: grammar.tagOps, numeric: false } : grammar.attributes[key];
    if (!allowed) {
      const attributes = Object.keys(grammar.attributes).join(", ");
      throw bad(`'${rawKey}' is not searchable; use ${attributes} or tags.<key>`, sentence("error.search.why.not_searchable", { key: rawKey, attributes }));
    }
    if (!allowed.ops.includes(op)) {
      const ops = allowed.ops.join(", ");
      throw bad(`'${rawKey}' does not support ${op}; it supports ${ops}`, sentence("error.search.why.operator", { key: rawKey, op, ops }));
    }
    let value: FilterClause["value"];
    if (rawValue.startsWith("(")) {
      if (op !== "IN" && op !== "NOT IN") throw bad(`a parenthesised list needs IN`, sentence("error.search.why.list_needs_in"));
      value = [...rawValue.matchAll(new RegExp(quoted, "g"))].map((m) => unquote(m[0]));
    } else if (/^['"]/.test(rawValue)) {
      if (op === "IN" || op === "NOT IN") throw bad(`IN needs a parenthesised list like ('a', 'b')`, sentence("error.search.why.in_needs_list"));
      if (allowed.numeric) throw bad(`'${rawKey}' compares with a number, not a string`, sentence("error.search.why.needs_number", { key: rawKey }));
      value = unquote(rawValue);
    } else {
      if (!allowed.numeric) {
        throw bad(`'${rawKey}' compares with a quoted string, e.g. '${rawValue}'`, sentence("error.search.why.needs_string", { key: rawKey, value: rawValue }));
      }
      value = Number(rawValue);
    }
    clauses.push({ key, isTag, op, value });
    if (at >= filter.length) return clauses;
    andPattern.lastIndex = at;
    if (!andPattern.exec(filter)) throw bad(`expected AND at position ${at + 1}`, sentence("error.search.why.expected_and", { position: at + 1 }));
    at = andPattern.lastIndex;
  }
}

/** An order_by clause: `name`, `name ASC`, `last_updated_timestamp DESC` (MLflow also says `timestamp`). */
export function parseOrderBy(clause: string, columns: readonly string[], entity: string): { column: string; descending: boolean } {
  const match = /^\s*(?:attributes?\.)?(\w+)(?:\s+(ASC|DESC))?\s*$/i.exec(clause);
  const column = match?.[1].toLowerCase() === "timestamp" ? "creation_timestamp" : match?.[1].toLowerCase();
  if (!match || !column || !columns.includes(column)) {
    throw invalidParameter(
      `Invalid order_by clause '${clause}' for ${entity} search: use ${columns.join(", ")}, optionally followed by ASC or DESC.`,
      sentence("error.search.order_by_invalid", { clause, entity: entity.replaceAll(" ", "_"), columns: columns.join(", ") }),
    );
  }
  return { column, descending: match[2]?.toUpperCase() === "DESC" };
}

export function checkMaxResults(maxResults: number, limit: number): void {
  if (maxResults > limit) {
    throw invalidParameter(`Invalid value for max_results: it must be at most ${limit}, but got ${maxResults}.`, sentence("error.search.max_results", { limit, got: maxResults }));
  }
}
