// Quality rules said in words, and built from the add-rule form's fields with errors a user can act on.
import { describe, expect, it } from "vitest";
import { describeRule, emptyRuleDraft, ruleFromDraft, type RuleDraft } from "./quality-rule-text";

const draft = (changes: Partial<RuleDraft>): RuleDraft => ({ ...emptyRuleDraft, column: "age", ...changes });

describe("describeRule", () => {
  it("says each kind of rule in words", () => {
    expect(describeRule({ kind: "range", column: "age", min: 18, max: 100 })).toBe("'age' between 18 and 100");
    expect(describeRule({ kind: "range", column: "age", min: 0 })).toBe("'age' at least 0");
    expect(describeRule({ kind: "range", column: "age", max: 120 })).toBe("'age' at most 120");
    expect(describeRule({ kind: "not_null", column: "id" })).toBe("'id' has no missing values");
    expect(describeRule({ kind: "unique", column: "id" })).toBe("'id' has no duplicate values");
    expect(describeRule({ kind: "allowed_values", column: "sex", values: ["F", "M"] })).toBe("'sex' is one of 'F', 'M'");
    expect(describeRule({ kind: "regex", column: "zip", pattern: "^\\d{5}$" })).toBe("'zip' matches /^\\d{5}$/");
    expect(describeRule({ kind: "max_missing", column: "income", maxShare: 0.05 })).toBe("'income' has at most 5% missing values");
  });
});

describe("ruleFromDraft", () => {
  it("builds rules from typed text", () => {
    expect(ruleFromDraft(draft({ kind: "range", min: "18", max: " 100 " }))).toEqual({ rule: { kind: "range", column: "age", min: 18, max: 100 } });
    expect(ruleFromDraft(draft({ kind: "allowed_values", values: "F, M,, X " }))).toEqual({
      rule: { kind: "allowed_values", column: "age", values: ["F", "M", "X"] },
    });
    expect(ruleFromDraft(draft({ kind: "max_missing", maxMissingPercent: "5" }))).toEqual({ rule: { kind: "max_missing", column: "age", maxShare: 0.05 } });
    expect(ruleFromDraft(draft({ kind: "unique" }))).toEqual({ rule: { kind: "unique", column: "age" } });
  });
  it("says what to fix", () => {
    expect(ruleFromDraft(draft({ column: " " }))).toEqual({ error: "Choose the column the rule checks." });
    expect(ruleFromDraft(draft({ kind: "range" }))).toEqual({ error: "Give a minimum, a maximum or both" });
    expect(ruleFromDraft(draft({ kind: "range", min: "ten" }))).toEqual({ error: "The minimum must be a number, like 18 or 0.5." });
    expect(ruleFromDraft(draft({ kind: "range", min: "5", max: "1" }))).toEqual({ error: "The minimum is above the maximum: swap them." });
    expect(ruleFromDraft(draft({ kind: "allowed_values", values: " , " }))).toEqual({ error: "List at least one allowed value" });
    expect(ruleFromDraft(draft({ kind: "regex", pattern: "([a-z" }))).toMatchObject({ error: expect.stringContaining("not a valid regular expression") });
    expect(ruleFromDraft(draft({ kind: "max_missing", maxMissingPercent: "150" }))).toMatchObject({ error: expect.stringContaining("0 to 100") });
  });
});
