// Tests of the masking transforms and the policy schema.
import { describe, expect, it } from "vitest";
import { GENERALISED, MaskingPolicyError, REDACTED, createRowMasker, generaliseValue, zMaskingPolicy } from "./masking";

describe("generaliseValue", () => {
  it("puts numbers in half-open bands of the given width", () => {
    expect(generaliseValue("34")).toBe("30-40");
    expect(generaliseValue("30")).toBe("30-40");
    expect(generaliseValue("39.99")).toBe("30-40");
    expect(generaliseValue("-3")).toBe("-10-0");
    expect(generaliseValue("1234.5", 100)).toBe("1200-1300");
    expect(generaliseValue("0.37", 0.1)).toBe("0.3-0.4");
    expect(generaliseValue("1e3", 250)).toBe("1000-1250");
  });

  it("turns ISO dates and date-times into their month as written", () => {
    expect(generaliseValue("2024-03-17")).toBe("2024-03");
    expect(generaliseValue("2024-03-17T10:00:00Z")).toBe("2024-03");
    expect(generaliseValue("2024-03-31T23:30:00.123-02:00")).toBe("2024-03");
    expect(generaliseValue("2024-12-01 08:15")).toBe("2024-12");
  });

  it("keeps empty values empty and suppresses anything else", () => {
    expect(generaliseValue("")).toBe("");
    expect(generaliseValue("Paris")).toBe(GENERALISED);
    expect(generaliseValue("2024-13-01")).toBe(GENERALISED);
    expect(generaliseValue("17/03/2024")).toBe(GENERALISED);
    expect(generaliseValue("NaN")).toBe(GENERALISED);
  });
});

describe("zMaskingPolicy", () => {
  it("accepts actions with optional positive band widths and rejects the rest", () => {
    expect(zMaskingPolicy.safeParse({ email: { action: "hash" }, age: { action: "generalise", bandWidth: 5 } }).success).toBe(true);
    expect(zMaskingPolicy.safeParse({ email: { action: "encrypt" } }).success).toBe(false);
    expect(zMaskingPolicy.safeParse({ age: { action: "generalise", bandWidth: 0 } }).success).toBe(false);
    expect(zMaskingPolicy.safeParse({ "": { action: "keep" } }).success).toBe(false);
  });
});

describe("createRowMasker", () => {
  const hash = (v: string) => `h(${v})`;
  const header = ["id", "email", "card", "iban", "age", "city"];
  const policy = {
    email: { action: "hash" as const },
    card: { action: "drop" as const },
    iban: { action: "redact" as const },
    age: { action: "generalise" as const, bandWidth: 5 },
  };

  it("applies each column's action and drops dropped columns from the header", () => {
    const masker = createRowMasker(header, policy, hash);
    expect(masker.outputHeader).toEqual(["id", "email", "iban", "age", "city"]);
    expect(masker.mask(["7", "a@example.com", "4111111111111111", "FR14...", "34", "Lyon"])).toEqual(["7", "h(a@example.com)", REDACTED, "30-35", "Lyon"]);
  });

  it("keeps empty values empty under every action", () => {
    const masker = createRowMasker(header, policy, hash);
    expect(masker.mask(["", "", "", "", "", ""])).toEqual(["", "", "", "", ""]);
  });

  it("rejects a policy naming a column the file does not have, naming that column", () => {
    expect(() => createRowMasker(header, { mail: { action: "hash" } }, hash)).toThrow(MaskingPolicyError);
    expect(() => createRowMasker(header, { mail: { action: "hash" } }, hash)).toThrow(/'mail'/);
  });

  it("does not mistake inherited object keys for policy entries", () => {
    const masker = createRowMasker(["constructor", "toString"], {}, hash);
    expect(masker.mask(["a", "b"])).toEqual(["a", "b"]);
  });
});
