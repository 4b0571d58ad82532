// Quality rules in words ("'age' between 18 and 100") and built from the add-rule form's text fields.
import { zQualityRuleInput, type QualityRuleInput } from "@/server/datasets/schema";
import { formatShare } from "./format-bytes";

export type RuleKind = QualityRuleInput["kind"];

export const ruleKindLabels: Record<RuleKind, string> = {
  not_null: "Not null",
  range: "Range",
  unique: "Unique",
  allowed_values: "Allowed values",
  regex: "Regex",
  max_missing: "Max missing %",
};

export function describeRule(rule: QualityRuleInput): string {
  const column = `'${rule.column}'`;
  switch (rule.kind) {
    case "not_null":
      return `${column} has no missing values`;
    case "unique":
      return `${column} has no duplicate values`;
    case "range":
      if (rule.min !== undefined && rule.max !== undefined) return `${column} between ${rule.min} and ${rule.max}`;
      return rule.min !== undefined ? `${column} at least ${rule.min}` : `${column} at most ${rule.max}`;
    case "allowed_values":
      return `${column} is one of ${rule.values.map((v) => `'${v}'`).join(", ")}`;
    case "regex":
      return `${column} matches /${rule.pattern}/`;
    case "max_missing":
      return `${column} has at most ${formatShare(rule.maxShare)} missing values`;
  }
}

/** What the add-rule form holds: plain text, as typed. */
export interface RuleDraft {
  kind: RuleKind;
  column: string;
  min: string;
  max: string;
  values: string;
  pattern: string;
  maxMissingPercent: string;
}

export const emptyRuleDraft: RuleDraft = { kind: "not_null", column: "", min: "", max: "", values: "", pattern: "", maxMissingPercent: "" };

/** An optional number field: empty is "not given"; anything else must be a finite number. */
function optionalNumber(text: string, field: string): number | undefined | { error: string } {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : { error: `${field} must be a number, like 18 or 0.5.` };
}

/** The rule the server will accept, or the first thing to fix, said as the form's user would fix it. */
export function ruleFromDraft(draft: RuleDraft): { rule: QualityRuleInput } | { error: string } {
  const column = draft.column.trim();
  if (!column) return { error: "Choose the column the rule checks." };
  let candidate: unknown;
  switch (draft.kind) {
    case "range": {
      const min = optionalNumber(draft.min, "The minimum");
      const max = optionalNumber(draft.max, "The maximum");
      if (typeof min === "object") return min;
      if (typeof max === "object") return max;
      if (min !== undefined && max !== undefined && min > max) return { error: "The minimum is above the maximum: swap them." };
      candidate = { kind: "range", column, min, max };
      break;
    }
    case "allowed_values":
      candidate = {
        kind: "allowed_values",
        column,
        values: draft.values
          .split(",")
          .map((v) => v.trim())
          .filter(Boolean),
      };
      break;
    case "regex":
      try {
        new RegExp(draft.pattern);
      } catch {
        return { error: "The pattern is not a valid regular expression: check its brackets and escapes." };
      }
      candidate = { kind: "regex", column, pattern: draft.pattern };
      break;
    case "max_missing": {
      const percent = optionalNumber(draft.maxMissingPercent, "The missing share");
      if (typeof percent === "object") return percent;
      if (percent === undefined || percent < 0 || percent > 100) return { error: "Give the most missing values allowed as a percentage from 0 to 100." };
      candidate = { kind: "max_missing", column, maxShare: percent / 100 };
      break;
    }
    default:
      candidate = { kind: draft.kind, column };
  }
  const parsed = zQualityRuleInput.safeParse(candidate);
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Check the rule's fields." };
  return { rule: parsed.data };
}
