// The post-sign-in redirect stays on the studio for every trick a crafted `next` link can play on the URL parser.
import { describe, expect, it } from "vitest";
import { DEFAULT_AFTER_SIGN_IN, safeNextPath } from "./safe-next";

const origin = "https://studio.example";

describe("safeNextPath", () => {
  it("keeps a page of the studio with its query and fragment", () => {
    expect(safeNextPath("/models/iris?tab=versions#v3", origin)).toBe("/models/iris?tab=versions#v3");
    expect(safeNextPath("/runs/compare?runs=a,b&x=step", origin)).toBe("/runs/compare?runs=a,b&x=step");
  });

  it.each([
    ["tab", "/\t/evil.example/"],
    ["newline", "/\n/evil.example/"],
    ["carriage return", "/\r/evil.example/"],
    ["tab between the slashes twice", "\t/\t/evil.example"],
    ["backslash", "/\\evil.example/"],
    ["backslash then tab", "\\\t\\evil.example"],
    ["protocol-relative", "//evil.example/path"],
    ["dot segment that collapses to //", "/.//evil.example"],
    ["absolute URL elsewhere", "https://evil.example/"],
    ["same host on another scheme", "http://studio.example/experiments"],
    ["javascript: URL", "javascript:alert(document.domain)"],
    ["data: URL", "data:text/html,<script>alert(1)</script>"],
    ["userinfo trick", "https://studio.example@evil.example/"],
  ])("refuses a %s redirect to another site", (_, next) => {
    expect(safeNextPath(next, origin)).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it("decodes the percent-encoded attack from the issue the same way the browser's query string does", () => {
    const next = new URLSearchParams("next=%2F%09%2Fevil.example%2F").get("next");
    expect(next).toBe("/\t/evil.example/");
    expect(safeNextPath(next, origin)).toBe(DEFAULT_AFTER_SIGN_IN);
    for (const encoded of ["%2F%0A%2Fevil.example%2F", "%2F%0D%2Fevil.example%2F", "%2F%5Cevil.example"]) {
      expect(safeNextPath(new URLSearchParams(`next=${encoded}`).get("next"), origin)).toBe(DEFAULT_AFTER_SIGN_IN);
    }
  });

  it("falls back to the home page (experiments, or a labeller's queues) when next is missing, empty or the sign-in page itself", () => {
    expect(safeNextPath(null, origin)).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(safeNextPath("", origin)).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(safeNextPath("/sign-in", origin)).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it("resolves a relative path against the origin and keeps it on the studio", () => {
    expect(safeNextPath("datasets", origin)).toBe("/datasets");
    expect(safeNextPath("/a/../admin/users", origin)).toBe("/admin/users");
  });
});
