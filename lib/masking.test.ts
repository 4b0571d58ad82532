// Tests of the masking transforms and the policy schema.
import { describe, expect, it } from "vitest";
import {
  GENERALISED,
  MaskingPolicyError,
  REDACTED,
  createRowMasker,
  emailDomain,
  generaliseValue,
  ipNetwork,
  maskChoicesFor,
  phoneCountryCode,
  piiDecisionsNeeded,
  zMaskingPolicy,
} from "./masking";

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

describe("generaliseValue on personal data", () => {
  it("turns an e-mail address into its domain", () => {
    expect(generaliseValue("louis.bernard0@example.com")).toBe("example.com");
    expect(generaliseValue(" Ines.Martin@Mail.Example.FR ")).toBe("mail.example.fr");
    expect(emailDomain("not an address")).toBeNull();
  });

  it("turns an IP address into its network: /24 for IPv4, /48 for IPv6", () => {
    expect(generaliseValue("210.123.250.90")).toBe("210.123.250.0/24");
    expect(generaliseValue("9.49.215.19")).toBe("9.49.215.0/24");
    expect(generaliseValue("2001:0db8:85a3:0000:0000:8a2e:0370:7334")).toBe("2001:db8:85a3::/48");
    expect(generaliseValue("2001:db8::1")).toBe("2001:db8:0::/48");
    expect(ipNetwork("256.1.1.1")).toBeNull();
  });

  it("turns an international phone number into its country calling code", () => {
    expect(generaliseValue("+33 6 79 49 59 60")).toBe("+33");
    expect(generaliseValue("+1 (415) 555-2671")).toBe("+1");
    expect(generaliseValue("+44 20 7946 0958")).toBe("+44");
    expect(generaliseValue("0033 6 12 34 56 78")).toBe("+33");
    expect(generaliseValue("+352 621 123 456")).toBe("+352");
    expect(phoneCountryCode("+7 912 345 67 89")).toBe("+7");
  });

  it("suppresses a national phone number (no country in it) instead of banding it as a number", () => {
    expect(generaliseValue("0612345678")).toBe(GENERALISED);
    expect(generaliseValue("06 12 34 56 78")).toBe(GENERALISED);
  });

  it("suppresses card numbers, IBANs and NIRs, which have no coarser form", () => {
    expect(generaliseValue("4970137264598853")).toBe(GENERALISED);
    expect(generaliseValue("FR0270414950517996831546928")).toBe(GENERALISED);
  });
});

describe("maskChoicesFor and piiDecisionsNeeded", () => {
  const finding = (column: string, kind: "email" | "card" | "ip" | "name") => ({ column, kind, matched: 9, checked: 10, share: 0.9 });

  it("offers generalise only where it means something", () => {
    expect(maskChoicesFor("email")).toEqual(["keep", "drop", "hash", "redact", "generalise"]);
    expect(maskChoicesFor("ip")).toContain("generalise");
    expect(maskChoicesFor("phone")).toContain("generalise");
    for (const kind of ["card", "iban", "nir", "name"] as const) expect(maskChoicesFor(kind)).toEqual(["keep", "drop", "hash", "redact"]);
  });

  it("lists flagged columns without a decision, and decisions that mean nothing for their data; 'keep' said counts", () => {
    const findings = [finding("email", "email"), finding("card", "card"), finding("ip", "ip"), finding("full_name", "name")];
    const needed = piiDecisionsNeeded(findings, { email: { action: "keep" }, card: { action: "generalise" }, ip: { action: "generalise" } });
    expect(needed).toEqual([
      { column: "card", detected: [{ kind: "card", share: 0.9, matched: 9, checked: 10 }], choices: ["keep", "drop", "hash", "redact"], problem: "generalise-not-offered" },
      { column: "full_name", detected: [{ kind: "name", share: 0.9, matched: 9, checked: 10 }], choices: ["keep", "drop", "hash", "redact"], problem: "undecided" },
    ]);
    expect(piiDecisionsNeeded(findings, { email: { action: "hash" }, card: { action: "drop" }, ip: { action: "keep" }, full_name: { action: "redact" } })).toEqual([]);
    // A column named only by an inherited prototype key is not a decision.
    expect(piiDecisionsNeeded([finding("constructor", "email")], {})).toHaveLength(1);
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
