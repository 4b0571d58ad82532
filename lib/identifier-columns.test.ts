import { describe, expect, it } from "vitest";
import { identifierReason, looksLikeIdentifierName } from "./identifier-columns";

describe("identifier columns", () => {
  it("knows identifier names and leaves feature names alone", () => {
    for (const name of ["id", "ID", "customer_id", "customerId", "user-id", "uuid", "order.uuid", "row_number", "index", "record_id", "account_key"]) {
      expect(looksLikeIdentifierName(name), name).toBe(true);
    }
    for (const name of ["paid", "valid", "grid", "width", "mean_radius", "monkey", "keyboard_hours", "idle_time", "Android", "humidity"]) {
      expect(looksLikeIdentifierName(name), name).toBe(false);
    }
  });

  it("treats a text column with one value per row as an identifier, on both sides and with enough rows", () => {
    const unique = (n: number, prefix: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 1]));
    expect(identifierReason("email", { reference: unique(200, "a"), current: unique(100, "b") })).toBe("distinct");
    expect(identifierReason("email", { reference: unique(20, "a"), current: unique(20, "b") })).toBeNull();
    expect(identifierReason("colour", { reference: { red: 100, blue: 100 }, current: { red: 90, blue: 120 } })).toBeNull();
    expect(identifierReason("customer_id")).toBe("name");
    expect(identifierReason("mean_radius")).toBeNull();
  });
});
