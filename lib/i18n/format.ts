// How the studio writes times and numbers for a reader of a given language: relative ("3 minutes ago" / "il y a
// 3 minutes"), absolute (UTC) and short numbers for charts and scores. English keeps the studio's long-standing
// texts byte for byte (ISO-like times, `.` decimals without grouping); other languages get Intl's wording.
// Display only: CSV/JSON exports and input fields keep machine-readable values and never go through here.
import type { Locale } from "./locales";

const relativeUnits: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600_000],
  ["month", 30 * 24 * 3600_000],
  ["week", 7 * 24 * 3600_000],
  ["day", 24 * 3600_000],
  ["hour", 3600_000],
  ["minute", 60_000],
  ["second", 1000],
];

// Intl formatters are costly to build and chart ticks call these many times a render: one of each per language.
function cached<T>(make: (locale: Locale) => T): (locale: Locale) => T {
  const made = new Map<Locale, T>();
  return (locale) => {
    let formatter = made.get(locale);
    if (formatter === undefined) {
      formatter = make(locale);
      made.set(locale, formatter);
    }
    return formatter;
  };
}

const relativeFormat = cached((locale) => new Intl.RelativeTimeFormat(locale, { numeric: "auto" }));
// A fixed zone, so the server's and the browser's text agree; the review pages write their dates the same way.
const timestampFormat = cached((locale) => new Intl.DateTimeFormat(locale, { timeZone: "UTC", dateStyle: "medium", timeStyle: "medium" }));
const significantFormats = new Map<string, Intl.NumberFormat>();

function significantFormat(locale: Locale, digits: number, scientific: boolean): Intl.NumberFormat {
  const key = `${locale}/${digits}/${scientific}`;
  let format = significantFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, scientific ? { notation: "scientific", maximumFractionDigits: digits } : { maximumSignificantDigits: digits });
    significantFormats.set(key, format);
  }
  return format;
}

/** "2 hours ago" / "il y a 2 heures": the largest whole unit of the distance from `now`. */
export function formatRelativeTime(epochMs: number, now: number = Date.now(), locale: Locale = "en"): string {
  const diff = epochMs - now;
  const format = relativeFormat(locale);
  for (const [unit, size] of relativeUnits) {
    if (Math.abs(diff) >= size || unit === "second") return format.format(Math.round(diff / size), unit);
  }
  return format.format(0, "second");
}

/** A moment in UTC: English "2026-12-07 06:10:43 UTC" (ISO-like, as always), French "7 déc. 2026, 06:10:43 UTC". */
export function formatTimestamp(epochMs: number, locale: Locale = "en"): string {
  if (!Number.isFinite(epochMs) || epochMs <= 0) return "—";
  if (locale === "en") return new Date(epochMs).toISOString().replace("T", " ").slice(0, 19) + " UTC";
  return `${timestampFormat(locale).format(epochMs)} UTC`;
}

/**
 * `value` to `digits` significant digits, in exponent form (`exponentDigits` after the point) when it is below
 * `smallest` or from `largest` up. English writes JavaScript's own digits; other languages their separators.
 */
function formatSignificant(value: number, locale: Locale, digits: number, exponentDigits: number, smallest: number, largest: number): string {
  if (!Number.isFinite(value)) return String(value);
  const exponent = value !== 0 && (Math.abs(value) >= largest || Math.abs(value) < smallest);
  if (locale === "en") return exponent ? value.toExponential(exponentDigits) : String(Number(value.toPrecision(digits)));
  return exponent ? significantFormat(locale, exponentDigits, true).format(value) : significantFormat(locale, digits, false).format(value);
}

/** Metric values: short but exact enough to compare runs (6 significant digits). */
export function formatMetricValue(value: number, locale: Locale = "en"): string {
  return formatSignificant(value, locale, 6, 4, 1e-4, 1e6);
}

/** Scores, shares and latencies on monitoring pages: 3 significant digits, exponent form below 0.001. */
export function formatScore(value: number, locale: Locale = "en"): string {
  return formatSignificant(value, locale, 3, 2, 1e-3, Infinity);
}
