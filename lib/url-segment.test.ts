import { describe, expect, it } from "vitest";
import { nameFromSegment, positiveIdFromSegment } from "./url-segment";

describe("nameFromSegment", () => {
  it("decodes percent-escapes and keeps a malformed one as typed", () => {
    expect(nameFromSegment("fraud%20model")).toBe("fraud model");
    expect(nameFromSegment("caf%C3%A9")).toBe("café");
    expect(nameFromSegment("100%zz")).toBe("100%zz");
  });
});

describe("positiveIdFromSegment", () => {
  it("accepts whole positive numbers only", () => {
    expect(positiveIdFromSegment("1")).toBe(1);
    expect(positiveIdFromSegment("007")).toBe(7);
    for (const bad of ["0", "-1", "1.5", "1e3", "abc", "", "99999999999999999999"]) expect(positiveIdFromSegment(bad)).toBeNull();
  });
});
