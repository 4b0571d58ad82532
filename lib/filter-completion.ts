// What the filter box may suggest at the cursor (prefixes, keys, comparators, `and`), read leniently from a half-typed MLflow filter.
import { comparatorsFor, DATASET_FIELDS, entityOfPrefix, FILTER_ATTRIBUTE_NAMES, type FilterEntity } from "./search-filter";

export interface FilterKeys {
  metrics: readonly string[];
  params: readonly string[];
  tags: readonly string[];
}

export type FilterSuggestionKind = "prefix" | "key" | "attribute" | "comparator" | "keyword";

export interface FilterSuggestion {
  label: string;
  insertText: string;
  kind: FilterSuggestionKind;
  detail: string;
  /** What the editor matches the half-typed text against: the quoted key once the user has typed its backtick. */
  filterText: string;
  /** True when accepting it should open the next suggestions (after a prefix, a key or a comparator). */
  retrigger: boolean;
}

export interface FilterCompletion {
  /** The half-typed text at [from, to) that a suggestion replaces; `to` is the cursor. */
  from: number;
  to: number;
  suggestions: FilterSuggestion[];
}

const PREFIXES: readonly { prefix: string; detail: string }[] = [
  { prefix: "metrics.", detail: "a metric's latest value" },
  { prefix: "params.", detail: "a parameter" },
  { prefix: "tags.", detail: "a tag" },
  { prefix: "attributes.", detail: "a run attribute" },
  { prefix: "datasets.", detail: "an input dataset" },
];

const PLAIN_KEY = /^[\p{L}\p{N}_]+$/u;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** A key as the parser reads it after `metrics.`: bare when it is one word, else in backticks (a backtick doubled). */
export function quoteFilterKey(key: string): string {
  return PLAIN_KEY.test(key) ? key : `\`${key.replaceAll("`", "``")}\``;
}

type Context =
  | { at: "identifier"; start: number }
  | { at: "comparator"; start: number; entity: FilterEntity; key: string }
  | { at: "joiner"; start: number }
  | { at: "nothing" };

/** Reads the text before the cursor clause by clause, like the parser but stopping, not failing, where the text runs out. */
class PartialFilterReader {
  pos = 0;

  constructor(readonly src: string) {}

  atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  peek(): string {
    return this.src.charAt(this.pos);
  }

  skipWhitespace(): boolean {
    const start = this.pos;
    while (!this.atEnd() && /\s/.test(this.peek())) this.pos++;
    return this.pos > start;
  }

  readWord(): string {
    const start = this.pos;
    while (!this.atEnd() && WORD_CHAR.test(this.peek())) this.pos++;
    return this.src.slice(start, this.pos);
  }

  /** Reads a quoted run; false when the text ends before the closing quote. */
  readQuoted(): boolean {
    const quote = this.peek();
    this.pos++;
    while (!this.atEnd()) {
      const ch = this.peek();
      if (ch === "\\" && quote !== "`" && this.pos + 1 < this.src.length) {
        this.pos += 2;
      } else if (ch === quote) {
        this.pos++;
        if (this.peek() !== quote) return true;
        this.pos++;
      } else {
        this.pos++;
      }
    }
    return false;
  }

  /** The parts of a dotted name, unquoted; null when the text ends inside it. */
  readIdentifier(): string[] | null {
    const parts: string[] = [];
    for (;;) {
      const ch = this.peek();
      if (ch === "`" || ch === '"') {
        const start = this.pos;
        if (!this.readQuoted()) return null;
        parts.push(this.src.slice(start + 1, this.pos - 1).replaceAll(ch + ch, ch));
      } else {
        parts.push(this.readWord());
      }
      if (this.atEnd()) return null;
      if (this.peek() !== ".") return parts;
      this.pos++;
    }
  }

  /** The comparator in upper case; null when the text ends inside it (so it may still grow, e.g. `<` into `<=`). */
  readComparator(): string | null {
    const symbolic = /^[<>=!~]+/.exec(this.src.slice(this.pos));
    if (symbolic) {
      this.pos += symbolic[0].length;
      return this.atEnd() ? null : symbolic[0];
    }
    const words: string[] = [];
    for (;;) {
      const word = this.readWord().toUpperCase();
      if (this.atEnd()) return null;
      words.push(word);
      const sofar = words.join(" ");
      if (sofar !== "NOT" && sofar !== "IS" && sofar !== "IS NOT") return sofar;
      this.skipWhitespace();
      if (this.atEnd()) return null;
    }
  }

  /** Skips one value (number, quoted string or list); false when the text ends inside it. */
  skipValue(op: string): boolean {
    if (op === "IS NULL" || op === "IS NOT NULL") return true;
    this.skipWhitespace();
    if (this.atEnd()) return false;
    const ch = this.peek();
    if (ch === "(") {
      while (!this.atEnd() && this.peek() !== ")") {
        if (this.peek() === "'" || this.peek() === '"') {
          if (!this.readQuoted()) return false;
        } else {
          this.pos++;
        }
      }
      if (this.atEnd()) return false;
      this.pos++;
      return true;
    }
    if (ch === "'" || ch === '"') return this.readQuoted() && !this.atEnd();
    while (!this.atEnd() && !/\s/.test(this.peek())) this.pos++;
    return !this.atEnd();
  }

  read(): Context {
    this.skipWhitespace();
    for (;;) {
      const clauseStart = this.pos;
      if (this.atEnd()) return { at: "identifier", start: clauseStart };
      const parts = this.readIdentifier();
      if (parts === null) return { at: "identifier", start: clauseStart };
      const resolved = resolveKey(parts);
      if (!this.skipWhitespace() && !/[<>=!~]/.test(this.peek())) return { at: "nothing" };
      const opStart = this.pos;
      if (this.atEnd()) return resolved ? { at: "comparator", start: opStart, ...resolved } : { at: "nothing" };
      const op = this.readComparator();
      if (op === null) return resolved ? { at: "comparator", start: opStart, ...resolved } : { at: "nothing" };
      if (!this.skipValue(op)) return { at: "nothing" };
      // A value the cursor still touches may grow; `and` is offered once a space ends it.
      if (!this.skipWhitespace()) return { at: "nothing" };
      const joinerStart = this.pos;
      const joiner = this.readWord();
      if (this.atEnd()) return { at: "joiner", start: joinerStart };
      if (joiner.toUpperCase() !== "AND" || !this.skipWhitespace()) return { at: "nothing" };
    }
  }
}

function resolveKey(parts: string[]): { entity: FilterEntity; key: string } | null {
  if (parts.length === 1) return FILTER_ATTRIBUTE_NAMES.includes(parts[0]) ? { entity: "attribute", key: parts[0] } : null;
  const entity = entityOfPrefix(parts[0]);
  if (entity === undefined) return null;
  return { entity, key: parts.slice(1).join(".") };
}

function keySuggestions(entity: FilterEntity, keys: FilterKeys, typed: string): FilterSuggestion[] {
  const named = (list: readonly string[], kind: FilterSuggestionKind, detail: string): FilterSuggestion[] =>
    [...new Set(list)].sort().map((key) => {
      const insertText = `${quoteFilterKey(key)} `;
      return { label: key, insertText, filterText: typed.startsWith("`") ? insertText : key, kind, detail, retrigger: true };
    });
  switch (entity) {
    case "metric":
      return named(keys.metrics, "key", "metric");
    case "param":
      return named(keys.params, "key", "param");
    case "tag":
      return named(keys.tags, "key", "tag");
    case "attribute":
      return named(FILTER_ATTRIBUTE_NAMES, "attribute", "attribute");
    case "dataset":
      return named(DATASET_FIELDS, "attribute", "dataset field");
  }
}

function clauseStartSuggestions(): FilterSuggestion[] {
  return [
    ...PREFIXES.map(({ prefix, detail }) => ({ label: prefix, insertText: prefix, filterText: prefix, kind: "prefix" as const, detail, retrigger: true })),
    ...FILTER_ATTRIBUTE_NAMES.map((name) => ({ label: name, insertText: `${name} `, filterText: name, kind: "attribute" as const, detail: "attribute", retrigger: true })),
  ];
}

function comparatorSuggestions(entity: FilterEntity, key: string): FilterSuggestion[] {
  return comparatorsFor(entity, key).map((op) => {
    const list = op === "IN" || op === "NOT IN";
    const noValue = op === "IS NULL" || op === "IS NOT NULL";
    return {
      label: op,
      insertText: list ? `${op} (` : `${op} `,
      filterText: op,
      kind: "comparator" as const,
      detail: noValue ? "no value" : list ? "a list of quoted values" : entity === "metric" || key.endsWith("_time") ? "then a number" : "then a quoted value",
      retrigger: noValue,
    };
  });
}

/** Suggestions for the cursor at `offset` in `text`, given the keys the experiment's runs use. */
export function completeFilter(text: string, offset: number, keys: FilterKeys): FilterCompletion {
  const cursor = Math.max(0, Math.min(offset, text.length));
  const context = new PartialFilterReader(text.slice(0, cursor)).read();
  switch (context.at) {
    case "nothing":
      return { from: cursor, to: cursor, suggestions: [] };
    case "joiner":
      return {
        from: context.start,
        to: cursor,
        suggestions: [{ label: "and", insertText: "and ", filterText: "and", kind: "keyword", detail: "add another condition", retrigger: true }],
      };
    case "comparator":
      return { from: context.start, to: cursor, suggestions: comparatorSuggestions(context.entity, context.key) };
    case "identifier": {
      const typed = text.slice(context.start, cursor);
      const dot = typed.indexOf(".");
      const entity = dot > 0 ? entityOfPrefix(typed.slice(0, dot)) : undefined;
      if (dot < 0) return { from: context.start, to: cursor, suggestions: clauseStartSuggestions() };
      if (entity === undefined) return { from: cursor, to: cursor, suggestions: [] };
      return { from: context.start + dot + 1, to: cursor, suggestions: keySuggestions(entity, keys, typed.slice(dot + 1)) };
    }
  }
}

/** The span to underline for a parse error at `position`: the word or symbol there, or the last character at the end. */
export function errorSpan(text: string, position: number): { from: number; to: number } {
  if (text.length === 0) return { from: 0, to: 0 };
  if (position >= text.length) return { from: text.length - 1, to: text.length };
  const start = Math.max(0, position);
  const word = /^(?:[\p{L}\p{N}_.]+|[<>=!~]+|\S)/u.exec(text.slice(start));
  return { from: start, to: start + (word ? word[0].length : 1) };
}
