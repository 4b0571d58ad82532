// Parses MLflow search_runs filter strings and order_by clauses into typed clauses, mirroring mlflow/utils/search_utils.py.
import { sentence, type ServerSentence } from "@/lib/i18n/server-sentence";

export type FilterEntity = "metric" | "param" | "tag" | "attribute" | "dataset";
export type FilterOp =
  | "="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "LIKE"
  | "ILIKE"
  | "IN"
  | "NOT IN"
  | "IS NULL"
  | "IS NOT NULL";

export interface FilterClause {
  entity: FilterEntity;
  key: string;
  op: FilterOp;
  value: number | string | string[] | null;
  position: number;
}

export interface OrderByClause {
  entity: FilterEntity;
  key: string;
  ascending: boolean;
}

export class SearchFilterError extends Error {
  readonly position: number | null;
  // The REST layer answers with this MLflow error code, as MLflow does for every filter error.
  readonly code = "INVALID_PARAMETER_VALUE" as const;

  constructor(
    message: string,
    position: number | null,
    /** The message as a catalogue sentence (sentences `error.filter.*`), so the runs page says it in the reader's language. */
    readonly sentence?: ServerSentence,
  ) {
    super(message);
    this.name = "SearchFilterError";
    this.position = position;
  }
}

/** A filter sentence's code and values; `message` stays MLflow's English, byte for byte (clients read it). */
function said(code: string, params: Record<string, string | number | ServerSentence[]> = {}): ServerSentence {
  return sentence(`error.filter.${code}`, params);
}

// A Map, not an object literal, so that keys such as "constructor" are not found on the prototype.
const ENTITY_PREFIXES = new Map<string, FilterEntity>([
  ["metric", "metric"],
  ["metrics", "metric"],
  ["param", "param"],
  ["params", "param"],
  ["parameter", "param"],
  ["parameters", "param"],
  ["tag", "tag"],
  ["tags", "tag"],
  ["attribute", "attribute"],
  ["attributes", "attribute"],
  ["attr", "attribute"],
  ["run", "attribute"],
  ["dataset", "dataset"],
  ["datasets", "dataset"],
]);

// MLflow matches attribute names and their aliases case-sensitively, hence the three spellings of "run name".
// lifecycle_stage is not searchable in MLflow (run_view_type covers it); the studio accepts it as a superset.
const ATTRIBUTE_KEYS = new Map<string, string>([
  ["run_id", "run_id"],
  ["run_name", "run_name"],
  ["status", "status"],
  ["user_id", "user_id"],
  ["artifact_uri", "artifact_uri"],
  ["lifecycle_stage", "lifecycle_stage"],
  ["start_time", "start_time"],
  ["end_time", "end_time"],
  ["created", "start_time"],
  ["Created", "start_time"],
  ["run name", "run_name"],
  ["Run name", "run_name"],
  ["Run Name", "run_name"],
]);

const NUMERIC_ATTRIBUTES = new Set(["start_time", "end_time"]);
const DATASET_KEYS = new Set(["name", "digest", "context"]);

const NUMERIC_OPS: readonly FilterOp[] = ["=", "!=", "<", "<=", ">", ">="];
// IS NULL / IS NOT NULL on params and tags arrived in MLflow with PR #21283; metrics never gained them.
const PARAM_TAG_OPS: readonly FilterOp[] = ["=", "!=", "LIKE", "ILIKE", "IS NULL", "IS NOT NULL"];
const STRING_ATTRIBUTE_OPS: readonly FilterOp[] = ["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"];
const DATASET_OPS: readonly FilterOp[] = ["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"];

const ATTRIBUTE_HELP =
  "run_id, run_name, status, user_id, artifact_uri, lifecycle_stage, start_time, end_time " +
  "(aliases: created/Created for start_time, `run name` for run_name)";
const PREFIX_HELP = "metrics., params., tags., attributes. or datasets. (e.g. metrics.accuracy)";
const ALL_OPS_HELP = "=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL";

/** The entity a prefix such as "metrics" or "attr" names, or undefined if the parser would reject it. */
export function entityOfPrefix(prefix: string): FilterEntity | undefined {
  return ENTITY_PREFIXES.get(prefix);
}

/** The attribute names the parser accepts, canonical spellings only (aliases such as `created` are left out). */
export const FILTER_ATTRIBUTE_NAMES: readonly string[] = [...new Set(ATTRIBUTE_KEYS.values())];
export const DATASET_FIELDS: readonly string[] = [...DATASET_KEYS];

/** The comparators a clause on this key may use, as the parser checks them (lists only for run_id among attributes). */
export function comparatorsFor(entity: FilterEntity, key: string): readonly FilterOp[] {
  const ops = allowedOps(entity, key);
  if (entity === "attribute" && key !== "run_id") return ops.filter((op) => op !== "IN" && op !== "NOT IN");
  return ops;
}

function isNumericKey(entity: FilterEntity, key: string): boolean {
  return entity === "metric" || (entity === "attribute" && NUMERIC_ATTRIBUTES.has(key));
}

function allowedOps(entity: FilterEntity, key: string): readonly FilterOp[] {
  switch (entity) {
    case "metric":
      return NUMERIC_OPS;
    case "param":
    case "tag":
      return PARAM_TAG_OPS;
    case "dataset":
      return DATASET_OPS;
    case "attribute":
      return NUMERIC_ATTRIBUTES.has(key) ? NUMERIC_OPS : STRING_ATTRIBUTE_OPS;
  }
}

function entityLabel(entity: FilterEntity, key: string): string {
  switch (entity) {
    case "metric":
      return "metrics";
    case "param":
      return "params";
    case "tag":
      return "tags";
    case "dataset":
      return "datasets";
    case "attribute":
      return NUMERIC_ATTRIBUTES.has(key) ? "numeric attributes" : "string attributes";
  }
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const WORD_START = /[\p{L}_]/u;
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/y;

interface IdentifierPart {
  text: string;
  quoted: boolean;
  start: number;
}

interface ResolvedIdentifier {
  entity: FilterEntity;
  key: string;
  start: number;
  source: string;
}

class Scanner {
  pos = 0;

  constructor(readonly src: string) {}

  fail(message: string, position: number, sentence: ServerSentence): never {
    throw new SearchFilterError(message, position, sentence);
  }

  atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  peek(offset = 0): string {
    return this.src.charAt(this.pos + offset);
  }

  skipWhitespace(): void {
    while (!this.atEnd() && /\s/.test(this.peek())) this.pos++;
  }

  isWordChar(ch: string): boolean {
    return ch !== "" && WORD_CHAR.test(ch);
  }

  readWord(): string {
    const start = this.pos;
    while (this.isWordChar(this.peek())) this.pos++;
    return this.src.slice(start, this.pos);
  }

  // Shows the user the token we stopped at rather than the whole remaining filter.
  describeHere(): string {
    const token = this.tokenHere();
    return token === null ? "the end of the filter" : `'${token}'`;
  }

  /** describeHere as a sentence, for a refusal's `found` value. */
  describeHereSaid(): ServerSentence[] {
    const token = this.tokenHere();
    return [token === null ? said("found.end") : said("found.token", { token })];
  }

  tokenHere(): string | null {
    if (this.atEnd()) return null;
    if (this.isWordChar(this.peek())) {
      const match = /^[\p{L}\p{N}_]+/u.exec(this.src.slice(this.pos));
      return match ? match[0] : this.peek();
    }
    return this.peek();
  }

  // Quote rules follow sqlparse's lexer, which MLflow relies on: a quote is escaped by doubling it or by a
  // backslash, and "\\" is an escaped backslash so a value may end in one. Unlike MLflow we unescape the quote;
  // other backslashes are kept as written so LIKE patterns reach the database exactly as MLflow sends them.
  readQuoted(quote: string, what: string): { text: string; start: number } {
    const start = this.pos;
    this.pos++;
    let text = "";
    while (!this.atEnd()) {
      const ch = this.peek();
      if (ch === "\\" && quote !== "`" && (this.peek(1) === quote || this.peek(1) === "\\")) {
        text += this.peek(1) === quote ? quote : "\\\\";
        this.pos += 2;
      } else if (ch === quote) {
        if (this.peek(1) === quote) {
          text += quote;
          this.pos += 2;
        } else {
          this.pos++;
          return { text, start };
        }
      } else {
        text += ch;
        this.pos++;
      }
    }
    const kind = what === "string" ? "string" : quote === "`" ? "backtick" : "double";
    return this.fail(`Unclosed ${what} starting at position ${start}: add a closing ${quote}`, start, said("unclosed", { kind, position: start, quote }));
  }

  readIdentifierPart(first: boolean): IdentifierPart {
    const start = this.pos;
    const ch = this.peek();
    if (ch === "`") return { text: this.readQuoted("`", "backtick-quoted name").text, quoted: true, start };
    if (ch === '"') return { text: this.readQuoted('"', "double-quoted name").text, quoted: true, start };
    // Keys after the prefix may start with a digit (metrics.1st_epoch); a clause may not.
    if (first ? WORD_START.test(ch) : this.isWordChar(ch)) return { text: this.readWord(), quoted: false, start };
    if (first) {
      return this.fail(
        `Expected a name such as metrics.accuracy or params.lr at position ${start}, found ${this.describeHere()}`,
        start,
        said("name_expected", { position: start, found: this.describeHereSaid() }),
      );
    }
    return this.fail(
      `Expected a key after '.' at position ${start}, found ${this.describeHere()}; ` +
        "quote keys with special characters in backticks, e.g. metrics.`val-loss`",
      start,
      said("key_expected", { position: start, found: this.describeHereSaid() }),
    );
  }

  readIdentifier(): ResolvedIdentifier {
    const start = this.pos;
    const parts = [this.readIdentifierPart(true)];
    while (this.peek() === ".") {
      this.pos++;
      parts.push(this.readIdentifierPart(false));
    }
    return this.resolveIdentifier(parts, start);
  }

  resolveIdentifier(parts: IdentifierPart[], start: number): ResolvedIdentifier {
    const source = this.src.slice(start, this.pos);
    if (parts.length === 1) {
      return { entity: "attribute", key: this.resolveAttributeKey(parts[0], true), start, source };
    }
    const prefix = parts[0];
    const entity = ENTITY_PREFIXES.get(prefix.text);
    if (entity === undefined) {
      const lower = prefix.text.toLowerCase();
      const wrongCase = ENTITY_PREFIXES.has(lower);
      const caseHint = wrongCase ? ` (prefixes are case-sensitive: write '${lower}')` : "";
      return this.fail(
        `Unknown entity prefix '${prefix.text}' at position ${prefix.start}${caseHint}: use ${PREFIX_HELP}`,
        prefix.start,
        said("unknown_prefix", { prefix: prefix.text, position: prefix.start, wrong_case: wrongCase ? "yes" : "no", lower }),
      );
    }
    const keyParts = parts.slice(1);
    // Unquoted dotted keys (tags.mlflow.runName) are accepted as MLflow does: it splits on the first dot only.
    const quotedPart = keyParts.find((part) => part.quoted);
    if (keyParts.length > 1 && quotedPart !== undefined) {
      return this.fail(
        `Quote the whole key at position ${quotedPart.start}, e.g. ${prefix.text}.\`a.b\` instead of mixing quoted and unquoted parts`,
        quotedPart.start,
        said("quote_whole_key", { position: quotedPart.start, prefix: prefix.text }),
      );
    }
    const keyPart: IdentifierPart = {
      text: keyParts.map((part) => part.text).join("."),
      quoted: keyParts[0].quoted,
      start: keyParts[0].start,
    };
    if (entity === "attribute") return { entity, key: this.resolveAttributeKey(keyPart, false), start, source };
    if (keyPart.text === "") {
      return this.fail(
        `Empty key at position ${keyPart.start}: name the ${entity}, e.g. ${prefix.text}.\`my key\``,
        keyPart.start,
        said("empty_key", { position: keyPart.start, entity, prefix: prefix.text }),
      );
    }
    if (entity === "dataset" && !DATASET_KEYS.has(keyPart.text)) {
      return this.fail(
        `Unknown dataset field '${keyPart.text}' at position ${keyPart.start}: use datasets.name, datasets.digest or datasets.context`,
        keyPart.start,
        said("unknown_dataset_field", { field: keyPart.text, position: keyPart.start }),
      );
    }
    return { entity, key: keyPart.text, start, source };
  }

  resolveAttributeKey(part: IdentifierPart, unprefixed: boolean): string {
    const key = ATTRIBUTE_KEYS.get(part.text);
    if (key !== undefined) return key;
    const hint = unprefixed
      ? ` If '${part.text}' is a metric, param or tag, prefix it: metrics.${part.text}, params.${part.text} or tags.${part.text}.`
      : "";
    return this.fail(
      `Unknown attribute '${part.text}' at position ${part.start}: valid attributes are ${ATTRIBUTE_HELP}.${hint}`,
      part.start,
      said("unknown_attribute", { attribute: part.text, position: part.start, unprefixed: unprefixed ? "yes" : "no" }),
    );
  }
}

class FilterParser extends Scanner {
  parse(): FilterClause[] {
    const clauses: FilterClause[] = [];
    this.skipWhitespace();
    clauses.push(this.parseClause());
    for (;;) {
      this.skipWhitespace();
      if (this.atEnd()) return clauses;
      const joinerStart = this.pos;
      const joiner = this.readWord();
      const upper = joiner.toUpperCase();
      if (upper === "AND") {
        this.skipWhitespace();
        if (this.atEnd()) {
          this.fail(
            `Expected a clause after AND at position ${this.pos}; remove the trailing AND or add a clause`,
            this.pos,
            said("clause_after_and", { position: this.pos }),
          );
        }
        clauses.push(this.parseClause());
      } else if (upper === "OR") {
        this.fail(
          `OR is not supported at position ${joinerStart}: MLflow filters only combine clauses with AND. ` +
            "Run one search per alternative, or use IN ('a', 'b') where the field supports it",
          joinerStart,
          said("or_unsupported", { position: joinerStart }),
        );
      } else {
        this.pos = joinerStart;
        this.fail(
          `Unexpected ${this.describeHere()} at position ${joinerStart}: join clauses with AND`,
          joinerStart,
          said("join_with_and", { found: this.describeHereSaid(), position: joinerStart }),
        );
      }
    }
  }

  parseClause(): FilterClause {
    const start = this.pos;
    if (this.peek() === "(") {
      this.fail(
        `Parentheses are not supported at position ${start}: write clauses joined by AND, e.g. metrics.acc > 0.9 AND params.lr = '0.01'`,
        start,
        said("parentheses", { position: start }),
      );
    }
    if (WORD_START.test(this.peek())) {
      const word = this.readWord();
      if (word.toUpperCase() === "NOT" && !this.atEnd() && this.peek() !== ".") {
        this.fail(
          `NOT before a clause is not supported at position ${start}: use !=, NOT IN or IS NOT NULL`,
          start,
          said("not_before_clause", { position: start }),
        );
      }
      this.pos = start;
    }
    const identifier = this.readIdentifier();
    const afterIdentifier = this.pos;
    this.skipWhitespace();
    const opStart = this.pos;
    const op = this.readComparator(identifier, afterIdentifier);
    const allowed = allowedOps(identifier.entity, identifier.key);
    if (!allowed.includes(op)) {
      this.fail(
        `Invalid comparator '${op}' for ${identifier.entity} '${identifier.key}' at position ${opStart}: ` +
          `${entityLabel(identifier.entity, identifier.key)} support ${allowed.join(", ")}`,
        opStart,
        said("comparator_for_key", {
          op,
          entity: identifier.entity,
          key: identifier.key,
          position: opStart,
          label: entityLabel(identifier.entity, identifier.key).replace(" ", "_"),
          ops: allowed.join(", "),
        }),
      );
    }
    const value = this.readValue(identifier, op, opStart);
    return { entity: identifier.entity, key: identifier.key, op, value, position: identifier.start };
  }

  readComparator(identifier: ResolvedIdentifier, afterIdentifier: number): FilterOp {
    const start = this.pos;
    if (this.atEnd()) {
      this.fail(
        `Missing comparator after '${identifier.source}' at position ${start}: use one of ${ALL_OPS_HELP}`,
        start,
        said("comparator_missing", { source: identifier.source, position: start, ops: ALL_OPS_HELP }),
      );
    }
    const symbolic = /^[<>=!~]+/.exec(this.src.slice(start));
    if (symbolic) {
      this.pos += symbolic[0].length;
      const op = symbolic[0];
      if (op === "=" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=") return op;
      if (op === "==") return this.fail(`Invalid comparator '==' at position ${start}: write '='`, start, said("comparator_write", { op, position: start, instead: "=" }));
      if (op === "<>") return this.fail(`Invalid comparator '<>' at position ${start}: write '!='`, start, said("comparator_write", { op, position: start, instead: "!=" }));
      return this.fail(
        `Invalid comparator '${op}' at position ${start}: use one of ${ALL_OPS_HELP}`,
        start,
        said("comparator_unknown", { op, position: start, ops: ALL_OPS_HELP }),
      );
    }
    if (WORD_START.test(this.peek())) {
      const word = this.readWord().toUpperCase();
      if (word === "LIKE" || word === "ILIKE" || word === "IN") return word;
      if (word === "NOT") return this.readAfterNot(start);
      if (word === "IS") return this.readAfterIs();
      if (word === "RLIKE") {
        return this.fail(`RLIKE is not supported at position ${start}: use LIKE or ILIKE with % and _ wildcards`, start, said("rlike", { position: start }));
      }
      this.pos = start;
    }
    const spaced = afterIdentifier < start;
    const spaceHint = spaced
      ? "; if the key contains spaces, quote it in backticks, e.g. metrics.`val loss`"
      : "; if the key contains special characters, quote it in backticks, e.g. metrics.`val-loss`";
    return this.fail(
      `Expected a comparator after '${identifier.source}' at position ${start}, found ${this.describeHere()}${spaceHint}`,
      start,
      said("comparator_expected", { source: identifier.source, position: start, found: this.describeHereSaid(), spaced: spaced ? "yes" : "no" }),
    );
  }

  readAfterNot(start: number): FilterOp {
    this.skipWhitespace();
    const wordStart = this.pos;
    const word = this.readWord().toUpperCase();
    if (word === "IN") return "NOT IN";
    if (word === "LIKE" || word === "ILIKE") {
      return this.fail(
        `NOT ${word} is not supported at position ${start}: MLflow has no negated LIKE; use != for exact values`,
        start,
        said("not_like", { op: word, position: start }),
      );
    }
    this.pos = wordStart;
    return this.fail(
      `Expected IN after NOT at position ${wordStart}, found ${this.describeHere()}`,
      wordStart,
      said("in_after_not", { position: wordStart, found: this.describeHereSaid() }),
    );
  }

  readAfterIs(): FilterOp {
    this.skipWhitespace();
    const wordStart = this.pos;
    let word = this.readWord().toUpperCase();
    if (word === "NULL") return "IS NULL";
    if (word === "NOT") {
      this.skipWhitespace();
      const nullStart = this.pos;
      word = this.readWord().toUpperCase();
      if (word === "NULL") return "IS NOT NULL";
      this.pos = nullStart;
      return this.fail(
        `Expected NULL after IS NOT at position ${nullStart}, found ${this.describeHere()}`,
        nullStart,
        said("null_after_is_not", { position: nullStart, found: this.describeHereSaid() }),
      );
    }
    this.pos = wordStart;
    return this.fail(
      `Expected NULL or NOT NULL after IS at position ${wordStart}, found ${this.describeHere()} (IS is only used as IS NULL / IS NOT NULL)`,
      wordStart,
      said("null_after_is", { position: wordStart, found: this.describeHereSaid() }),
    );
  }

  readValue(identifier: ResolvedIdentifier, op: FilterOp, opStart: number): FilterClause["value"] {
    if (op === "IS NULL" || op === "IS NOT NULL") return null;
    if (op === "IN" || op === "NOT IN") {
      // MLflow's attribute lists are only wired up for run_id; datasets accept lists for every field.
      if (identifier.entity === "attribute" && identifier.key !== "run_id") {
        this.fail(
          `Invalid comparator '${op}' for attribute '${identifier.key}' at position ${opStart}: only run_id accepts a list; ` +
            "use = or LIKE for other attributes",
          opStart,
          said("list_attribute", { op, attribute: identifier.key, position: opStart }),
        );
      }
      return this.readList(op);
    }
    this.skipWhitespace();
    const start = this.pos;
    const numeric = isNumericKey(identifier.entity, identifier.key);
    const what = `${identifier.entity} '${identifier.key}'`;
    const whatSaid = { entity: identifier.entity, key: identifier.key };
    if (this.atEnd()) {
      const example = numeric ? "a number, e.g. 0.9" : "a quoted string, e.g. 'value'";
      return this.fail(
        `Missing value after '${op}' at position ${start}: give ${example}`,
        start,
        said("value_missing", { op, position: start, numeric: numeric ? "yes" : "no" }),
      );
    }
    const ch = this.peek();
    if (ch === "'" || ch === '"') {
      const { text } = this.readQuoted(ch, "string");
      if (numeric) {
        return this.fail(
          `Expected a number for ${what} at position ${start}, found the string ${ch}${text}${ch}: remove the quotes`,
          start,
          said("number_not_string", { ...whatSaid, position: start, string: `${ch}${text}${ch}` }),
        );
      }
      return text;
    }
    const number = this.readNumber();
    if (number !== null) {
      if (!numeric) {
        return this.fail(
          `Expected a quoted string for ${what} at position ${start}, found ${number.text}: write '${number.text}'`,
          start,
          said("string_not_number", { ...whatSaid, position: start, number: number.text }),
        );
      }
      if (identifier.entity === "attribute" && !Number.isSafeInteger(number.value)) {
        return this.fail(
          `Expected whole milliseconds since the epoch for attribute '${identifier.key}' at position ${start}, found ${number.text}`,
          start,
          said("whole_milliseconds", { attribute: identifier.key, position: start, number: number.text }),
        );
      }
      return number.value;
    }
    if (ch === "(") {
      return this.fail(
        `A parenthesised list at position ${start} needs IN or NOT IN, e.g. run_id IN ('a', 'b')`,
        start,
        said("list_needs_in", { position: start }),
      );
    }
    const found = this.describeHere();
    const foundSaid = this.describeHereSaid();
    if (numeric) {
      return this.fail(`Expected a number for ${what} at position ${start}, found ${found}`, start, said("number_expected", { ...whatSaid, position: start, found: foundSaid }));
    }
    return this.fail(
      `Expected a quoted string for ${what} at position ${start}, found ${found}: wrap it in quotes`,
      start,
      said("string_expected", { ...whatSaid, position: start, found: foundSaid }),
    );
  }

  readNumber(): { value: number; text: string } | null {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.src);
    if (match === null) return null;
    const start = this.pos;
    this.pos += match[0].length;
    // sqlparse refuses numbers glued to letters (1abc, 1.2.3); so do we, rather than reading a prefix.
    if (this.isWordChar(this.peek()) || this.peek() === ".") {
      this.fail(
        `Invalid number at position ${start}: '${match[0]}' is followed by '${this.peek()}'`,
        start,
        said("number_invalid", { position: start, number: match[0], next: this.peek() }),
      );
    }
    return { value: Number(match[0]), text: match[0] };
  }

  readList(op: FilterOp): string[] {
    this.skipWhitespace();
    const open = this.pos;
    if (this.peek() !== "(") {
      return this.fail(
        `Expected a parenthesised list after ${op} at position ${open}, found ${this.describeHere()}: e.g. ${op} ('a', 'b')`,
        open,
        said("list_expected", { op, position: open, found: this.describeHereSaid() }),
      );
    }
    this.pos++;
    const values: string[] = [];
    for (;;) {
      this.skipWhitespace();
      const itemStart = this.pos;
      if (this.atEnd()) return this.fail(`Unclosed list starting at position ${open}: add ')'`, open, said("list_unclosed", { position: open }));
      // Python's literal_eval, which MLflow uses for lists, tolerates one trailing comma.
      if (this.peek() === ")" && values.length > 0) {
        this.pos++;
        return values;
      }
      if (this.peek() === ")") {
        return this.fail(`Empty list at position ${open}: ${op} needs at least one quoted value`, open, said("list_empty", { position: open, op }));
      }
      const ch = this.peek();
      if (ch !== "'" && ch !== '"') {
        return this.fail(
          `Expected a quoted string in the list at position ${itemStart}, found ${this.describeHere()}`,
          itemStart,
          said("list_item_expected", { position: itemStart, found: this.describeHereSaid() }),
        );
      }
      values.push(this.readQuoted(ch, "string").text);
      this.skipWhitespace();
      if (this.peek() === ",") {
        this.pos++;
      } else if (this.peek() === ")") {
        this.pos++;
        return values;
      } else if (this.atEnd()) {
        return this.fail(`Unclosed list starting at position ${open}: add ')'`, open, said("list_unclosed", { position: open }));
      } else {
        return this.fail(
          `Expected ',' or ')' in the list at position ${this.pos}, found ${this.describeHere()}`,
          this.pos,
          said("list_separator", { position: this.pos, found: this.describeHereSaid() }),
        );
      }
    }
  }
}

/** Parses a search_runs filter string; an empty or blank filter means "no conditions". */
export function parseSearchFilter(filter: string | undefined | null): FilterClause[] {
  if (filter === undefined || filter === null || filter.trim() === "") return [];
  return new FilterParser(filter).parse();
}

/** Parses one order_by entry such as "metrics.`val loss` DESC"; the direction defaults to ascending. */
export function parseOrderBy(clause: string): OrderByClause {
  const scanner = new Scanner(clause);
  scanner.skipWhitespace();
  if (scanner.atEnd()) {
    return scanner.fail("Empty order_by clause: write a column such as metrics.accuracy DESC or attributes.start_time", 0, said("order_by_empty"));
  }
  const identifier = scanner.readIdentifier();
  if (identifier.entity === "dataset") {
    return scanner.fail(
      `Cannot order by dataset fields (position ${identifier.start}): order by metrics., params., tags. or attributes.`,
      identifier.start,
      said("order_by_dataset", { position: identifier.start }),
    );
  }
  let ascending = true;
  scanner.skipWhitespace();
  if (!scanner.atEnd()) {
    const directionStart = scanner.pos;
    const direction = scanner.readWord().toUpperCase();
    if (direction === "ASC" || direction === "DESC") {
      ascending = direction === "ASC";
    } else {
      scanner.pos = directionStart;
      const spaced = /\s/.test(clause.charAt(directionStart - 1));
      const spaceHint = spaced ? "; if the key contains spaces, quote it in backticks, e.g. metrics.`val loss` DESC" : "";
      return scanner.fail(
        `Expected ASC or DESC at position ${directionStart}, found ${scanner.describeHere()}${spaceHint}`,
        directionStart,
        said("order_by_direction", { position: directionStart, found: scanner.describeHereSaid(), spaced: spaced ? "yes" : "no" }),
      );
    }
    scanner.skipWhitespace();
    if (!scanner.atEnd()) {
      return scanner.fail(
        `Unexpected ${scanner.describeHere()} at position ${scanner.pos}: an order_by clause is one column and an optional ASC or DESC`,
        scanner.pos,
        said("order_by_trailing", { found: scanner.describeHereSaid(), position: scanner.pos }),
      );
    }
  }
  return { entity: identifier.entity, key: identifier.key, ascending };
}
