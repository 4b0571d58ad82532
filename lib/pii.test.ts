// Tests of the personal-data detectors on valid and near-miss values, and of the scanner on the planted-PII fixture.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createPiiScanner, detectPiiValue, isLikelyNameHeader, isValidIban, isValidNir, passesLuhn, scanCsvText } from "./pii";

describe("detectPiiValue", () => {
  it("finds e-mail addresses but not handles, bare domains or addresses without a top-level domain", () => {
    for (const v of ["louis.bernard0@example.com", "a+tag@sub.example.co.uk", " x_y@example.org ", "inès.martin5@example.com"]) expect(detectPiiValue(v)).toBe("email");
    for (const v of ["@handle", "user@localhost", "not an email", "a@b", "foo@bar.c", "two@@example.com"]) expect(detectPiiValue(v)).toBeNull();
  });

  it("finds international and national phone numbers, not integers, decimals or dates", () => {
    for (const v of ["+33 6 12 34 56 78", "06 12 34 56 78", "0612345678", "06.12.34.56.78", "+44 20 7946 0958", "0033 6 12 34 56 78", "(415) 555-2671", "+1-415-555-2671"]) {
      expect(detectPiiValue(v), v).toBe("phone");
    }
    for (const v of ["12345678", "100000", "0.1234567890", "46.44", "2024-03-17", "0000012345", "+33 6", "06 12 34"]) {
      expect(detectPiiValue(v), v).toBeNull();
    }
  });

  it("finds IBANs only when the ISO 13616 check digits are right", () => {
    for (const v of ["GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "FR14 2004 1010 0505 0001 3M02 606", "fr1420041010050500013m02606"]) {
      expect(detectPiiValue(v), v).toBe("iban");
    }
    expect(isValidIban("GB83 WEST 1234 5698 7654 32")).toBe(false);
    expect(isValidIban("DE88370400440532013000")).toBe(false);
    // Right checksum arithmetic is not enough: a German IBAN has 22 characters.
    expect(isValidIban("DE8937040044053201300")).toBe(false);
    expect(detectPiiValue("GB83 WEST 1234 5698 7654 32")).toBeNull();
  });

  it("finds Luhn-valid card numbers with spaces or dashes, and rejects a wrong last digit", () => {
    for (const v of ["4111 1111 1111 1111", "5555-5555-5555-4444", "378282246310005", "4970137264598853"]) expect(detectPiiValue(v), v).toBe("card");
    expect(passesLuhn("4111111111111111")).toBe(true);
    expect(passesLuhn("4111111111111112")).toBe(false);
    for (const v of ["4111 1111 1111 1112", "5555-5555-5555-4445", "411111111111", "4111 1111 1111 1111 1111 1"]) expect(detectPiiValue(v), v).toBeNull();
  });

  it("finds French NIRs with the right key, including Corsica's 2A and 2B", () => {
    for (const v of ["255081416802538", "2 55 08 14 168 025 38", "1 85 05 2A 123 456 33", "292032B00701267"]) expect(detectPiiValue(v), v).toBe("nir");
    expect(isValidNir("255081416802539")).toBe(false);
    expect(isValidNir("1 85 05 2A 123 456 34")).toBe(false);
    // Month 13 does not exist, whatever the key says.
    expect(isValidNir("2 55 13 14 168 025 38")).toBe(false);
    expect(detectPiiValue("255081416802539")).toBeNull();
  });

  it("finds IPv4 and IPv6 addresses, not versions, times or out-of-range octets", () => {
    for (const v of ["210.123.250.90", "9.49.215.19", "0.0.0.0", "2001:db8::8a2e:370:7334", "::1", "fe80::1%eth0", "::ffff:192.0.2.1", "2001:0db8:0000:0000:0000:ff00:0042:8329"]) {
      expect(detectPiiValue(v), v).toBe("ip");
    }
    for (const v of ["256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "10:30:00", "2001:db8::1::2", "12:34:56:78"]) expect(detectPiiValue(v), v).toBeNull();
  });

  it("leaves ordinary values alone", () => {
    for (const v of ["", "Paris", "84", "46.44", "true", "2024-03-17T10:00:00Z", "Louis Bernard", "-12345678901"]) expect(detectPiiValue(v), v).toBeNull();
  });
});

describe("isLikelyNameHeader", () => {
  it("recognises name headers whatever their case, separators or language", () => {
    for (const h of ["name", "Name", "first_name", "FirstName", "LAST-NAME", "full name", "surname", "given name", "nom", "Prénom", "prenom", "Nom de famille", "customer_name", "nom_client", "name_of_customer"]) {
      expect(isLikelyNameHeader(h), h).toBe(true);
    }
  });

  it("does not take file, login, product or company names for people's names", () => {
    for (const h of ["filename", "file_name", "username", "user_name", "product_name", "company_name", "hostname", "nominal", "renamed", "city", ""]) {
      expect(isLikelyNameHeader(h), h).toBe(false);
    }
  });
});

describe("createPiiScanner", () => {
  it("reports each column's dominant kind with its share of non-empty values", () => {
    const scanner = createPiiScanner(["contact", "note", "owner"]);
    scanner.addRow(["a@example.com", "hello", ""]);
    scanner.addRow(["+33 6 12 34 56 78", "world", ""]);
    scanner.addRow(["b@example.com", "", ""]);
    scanner.addRow(["", "c@example.com", ""]);
    const findings = scanner.findings(0.4);
    expect(findings).toEqual([{ column: "contact", kind: "email", matched: 2, checked: 3, share: 2 / 3 }]);
    expect(scanner.findings(0.3).map((f) => f.column)).toEqual(["contact", "note"]);
  });

  it("flags name headers with share 1 and stops after maxRows rows", () => {
    const scanner = createPiiScanner(["full_name", "email"], { maxRows: 2 });
    scanner.addRow(["Ann", "ann@example.com"]);
    scanner.addRow(["Bob", "bob@example.com"]);
    scanner.addRow(["Cy", "not-an-email"]);
    expect(scanner.rowsScanned).toBe(2);
    expect(scanner.findings()).toEqual([
      { column: "full_name", kind: "name", matched: 2, checked: 2, share: 1 },
      { column: "email", kind: "email", matched: 2, checked: 2, share: 1 },
    ]);
  });
});

describe("scanCsvText on the planted-PII fixture", () => {
  const text = readFileSync(path.join(import.meta.dirname, "../fixtures/datasets/customers-with-pii.csv"), "utf8");

  it("finds every PII column with a share of about 1 and flags no numeric column", () => {
    const { header, findings, rowsScanned } = scanCsvText(text);
    expect(rowsScanned).toBe(1000);
    expect(header).toContain("monthly_spend");
    const byColumn = Object.fromEntries(findings.map((f) => [f.column, f]));
    const expected = { full_name: "name", email: "email", phone: "phone", iban: "iban", card_number: "card", nir: "nir", last_login_ip: "ip" };
    for (const [column, kind] of Object.entries(expected)) {
      expect(byColumn[column]?.kind, column).toBe(kind);
      expect(byColumn[column].share, column).toBeGreaterThan(0.98);
    }
    for (const column of ["customer_id", "age", "monthly_spend", "city", "churned"]) expect(byColumn[column], column).toBeUndefined();
  });

  it("honours maxRows", () => {
    expect(scanCsvText(text, 100).rowsScanned).toBe(100);
  });
});
