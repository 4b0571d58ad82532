// The review pages' words and formats in the reader's language: the sentence builders' words (lib/review-words.ts)
// and dates (absolute in UTC, so server and browser agree; relative "3 minutes ago").
import { useFormatter, useTranslations } from "next-intl";
import { useMemo } from "react";
import type { ReviewWords } from "@/lib/review-words";

export function useReviewWords(): ReviewWords {
  const t = useTranslations("reviewSentences");
  const format = useFormatter();
  return useMemo(() => ({ t, format }), [t, format]);
}

export function useReviewDates() {
  const format = useFormatter();
  return useMemo(
    () => ({
      /** "6 Dec 2026, 10:00 UTC" / "6 déc. 2026, 10:00 UTC". */
      timestamp: (epochMs: number) =>
        Number.isFinite(epochMs) && epochMs > 0 ? `${format.dateTime(epochMs, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC` : "—",
      /** "6 Dec 2026" / "6 déc. 2026". */
      date: (epochMs: number) => (Number.isFinite(epochMs) && epochMs > 0 ? format.dateTime(epochMs, { dateStyle: "medium", timeZone: "UTC" }) : "—"),
      relative: (epochMs: number, now: number) => format.relativeTime(epochMs, now),
    }),
    [format],
  );
}

/** Metric values as formatMetricValue writes them (six significant digits, exponent when huge or tiny), in the reader's locale: 0.972 / 0,972. */
export function useMetricFormat(): (value: number) => string {
  const format = useFormatter();
  return useMemo(
    () => (value: number) => {
      if (!Number.isFinite(value)) return String(value);
      if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-4)) {
        return format.number(value, { notation: "scientific", maximumFractionDigits: 4 });
      }
      return format.number(Number(value.toPrecision(6)), { maximumSignificantDigits: 6 });
    },
    [format],
  );
}
