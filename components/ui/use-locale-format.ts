// The reader's language bound to the studio's time and number formats (lib/i18n/format), for pages and charts.
import { useLocale } from "next-intl";
import { useMemo } from "react";
import { formatMetricValue, formatRelativeTime, formatScore, formatTimestamp } from "@/lib/i18n/format";
import { defaultLocale, isLocale, type Locale } from "@/lib/i18n/locales";

export interface LocaleFormat {
  locale: Locale;
  /** "2 hours ago" / "il y a 2 heures". */
  relativeTime: (epochMs: number, now?: number) => string;
  /** "2026-12-07 06:10:43 UTC" / "7 déc. 2026, 06:10:43 UTC". */
  timestamp: (epochMs: number) => string;
  /** Six significant digits: 0.972 / 0,972. */
  metricValue: (value: number) => string;
  /** Three significant digits: 0.123 / 0,123. */
  score: (value: number) => string;
}

export function useLocaleFormat(): LocaleFormat {
  const current = useLocale();
  const locale = isLocale(current) ? current : defaultLocale;
  return useMemo(
    () => ({
      locale,
      relativeTime: (epochMs, now) => formatRelativeTime(epochMs, now, locale),
      timestamp: (epochMs) => formatTimestamp(epochMs, locale),
      metricValue: (value) => formatMetricValue(value, locale),
      score: (value) => formatScore(value, locale),
    }),
    [locale],
  );
}
