// The studio's time and number formats: English exactly as the pages always wrote them, French with French words and
// separators (Intl's U+202F narrow no-break space groups thousands in French).
import { describe, expect, it } from "vitest";
import { formatMetricValue, formatRelativeTime, formatScore, formatTimestamp } from "./format";

const now = Date.UTC(2026, 11, 7, 6, 10, 43);
const hour = 3600_000;

describe("formatRelativeTime", () => {
  it("says the largest whole unit, in English by default", () => {
    expect(formatRelativeTime(now - 2 * hour, now)).toBe("2 hours ago");
    expect(formatRelativeTime(now - 24 * hour, now)).toBe("yesterday");
    expect(formatRelativeTime(now - 3 * 60_000, now, "en")).toBe("3 minutes ago");
    expect(formatRelativeTime(now + 5 * 60_000, now, "en")).toBe("in 5 minutes");
    expect(formatRelativeTime(now, now)).toBe("now");
  });

  it("says it in French for a French reader", () => {
    expect(formatRelativeTime(now - 2 * hour, now, "fr")).toBe("il y a 2 heures");
    expect(formatRelativeTime(now - 24 * hour, now, "fr")).toBe("hier");
    expect(formatRelativeTime(now - 3 * 60_000, now, "fr")).toBe("il y a 3 minutes");
    expect(formatRelativeTime(now + 5 * 60_000, now, "fr")).toBe("dans 5 minutes");
    expect(formatRelativeTime(now - 14 * 24 * hour, now, "fr")).toBe("il y a 2 semaines");
  });
});

describe("formatTimestamp", () => {
  it("keeps English ISO-like in UTC, and no date for a missing moment", () => {
    expect(formatTimestamp(now)).toBe("2026-12-07 06:10:43 UTC");
    expect(formatTimestamp(now, "en")).toBe("2026-12-07 06:10:43 UTC");
    expect(formatTimestamp(0, "fr")).toBe("—");
    expect(formatTimestamp(Number.NaN, "fr")).toBe("—");
  });

  it("writes French dates with French month names, in UTC whatever the machine's zone", () => {
    expect(formatTimestamp(now, "fr")).toBe("7 déc. 2026, 06:10:43 UTC");
    expect(formatTimestamp(Date.UTC(2026, 0, 1, 23, 5, 0), "fr")).toBe("1 janv. 2026, 23:05:00 UTC");
  });
});

describe("formatMetricValue", () => {
  it("keeps English digits as before: six significant digits, exponent when huge or tiny", () => {
    expect(formatMetricValue(0.97234567)).toBe("0.972346");
    expect(formatMetricValue(12345.678)).toBe("12345.7");
    expect(formatMetricValue(0.00001234)).toBe("1.2340e-5");
    expect(formatMetricValue(2_500_000)).toBe("2.5000e+6");
    expect(formatMetricValue(0)).toBe("0");
    expect(formatMetricValue(Number.NaN)).toBe("NaN");
  });

  it("uses the French decimal comma and grouping, with the same digits", () => {
    expect(formatMetricValue(0.97234567, "fr")).toBe("0,972346");
    expect(formatMetricValue(12345.678, "fr")).toBe("12\u202f345,7");
    expect(formatMetricValue(-0.5, "fr")).toBe("-0,5");
    expect(formatMetricValue(0.00001234, "fr")).toBe("1,234E-5");
    expect(formatMetricValue(0, "fr")).toBe("0");
    expect(formatMetricValue(Number.POSITIVE_INFINITY, "fr")).toBe("Infinity");
  });
});

describe("formatScore", () => {
  it("keeps English three significant digits, exponent below 0.001", () => {
    expect(formatScore(0.123456)).toBe("0.123");
    expect(formatScore(45.678)).toBe("45.7");
    expect(formatScore(0.000123)).toBe("1.23e-4");
    expect(formatScore(12345)).toBe("12300");
  });

  it("uses the French decimal comma", () => {
    expect(formatScore(0.123456, "fr")).toBe("0,123");
    expect(formatScore(45.678, "fr")).toBe("45,7");
    expect(formatScore(0.000123, "fr")).toBe("1,23E-4");
    expect(formatScore(12345, "fr")).toBe("12\u202f300");
  });
});
