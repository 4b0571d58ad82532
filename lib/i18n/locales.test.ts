import { describe, expect, it } from "vitest";
import { localeCookie, localeFromAcceptLanguage, negotiateLocale } from "./locales";

describe("negotiateLocale", () => {
  it("prefers the user's cookie, then the browser's languages by weight, then English", () => {
    expect(negotiateLocale("fr", "en-US,en;q=0.9")).toBe("fr");
    expect(negotiateLocale(undefined, "fr-CH, fr;q=0.9, en;q=0.8")).toBe("fr");
    expect(negotiateLocale(undefined, "de-DE,de;q=0.9,en;q=0.5,fr;q=0.4")).toBe("en");
    expect(negotiateLocale(undefined, "en;q=0.2, fr;q=0.8")).toBe("fr");
    expect(negotiateLocale("xx", "de")).toBe("en");
    expect(negotiateLocale(undefined, null)).toBe("en");
  });

  it("ignores languages weighted zero and malformed parts", () => {
    expect(localeFromAcceptLanguage("fr;q=0, en;q=0.1")).toBe("en");
    expect(localeFromAcceptLanguage(";;,, ,q=")).toBeUndefined();
  });
});

describe("localeCookie", () => {
  it("remembers a chosen language for a year and forgets it for the browser default", () => {
    expect(localeCookie("fr")).toBe("studio_locale=fr; Path=/; SameSite=Lax; Max-Age=31536000");
    expect(localeCookie(null)).toBe("studio_locale=; Path=/; SameSite=Lax; Max-Age=0");
  });
});
