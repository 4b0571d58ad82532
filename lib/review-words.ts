// The words and number formats the review's plain sentences are written with (lib/review-sentences.ts,
// lib/acceptance-criteria.ts): a translator of the "reviewSentences" catalogue and a locale's number formatter.
// Pure, so the same sentences are built on the server (English, stored with a review's criteria results) and in the
// browser in the reader's language (useReviewWords in components/review).
import { createFormatter, createTranslator, type useTranslations } from "next-intl";
import englishSentences from "@/messages/en/reviewSentences.json";
import type { Locale } from "@/lib/i18n/locales";

export interface ReviewWords {
  t: ReturnType<typeof useTranslations<"reviewSentences">>;
  format: Pick<ReturnType<typeof createFormatter>, "number">;
}

/** Review words for a locale from its "reviewSentences" catalogue (tests, the server, the PDF export). */
export function createReviewWords(locale: Locale, sentences: typeof englishSentences): ReviewWords {
  return {
    t: createTranslator({ locale, messages: { reviewSentences: sentences }, namespace: "reviewSentences" }) as unknown as ReviewWords["t"],
    format: createFormatter({ locale, timeZone: "UTC" }),
  };
}

/** English: the language stored with results computed on the server (the review page translates them again). */
export const englishReviewWords: ReviewWords = createReviewWords("en", englishSentences);

/** Up to `digits` decimals, trailing zeros dropped, never "-0": 7, 7.5, 0.05 (7,5 and 0,05 in French). */
export function localNumber(words: ReviewWords, value: number, digits = 1): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number(value.toFixed(digits));
  return words.format.number(Object.is(rounded, -0) ? 0 : rounded, { maximumFractionDigits: digits });
}

/** Exactly `digits` decimals, as a limit or a comparison is read back: 0.80, 0.995 (0,80 in French). */
export function fixedNumber(words: ReviewWords, value: number, digits: number): string {
  return words.format.number(value, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A 0–1 rate as a whole percentage: 0.306 → "31%" ("31 %" in French). */
export function localPercent(words: ReviewWords, rate: number): string {
  return words.format.number(Math.round(rate * 100) / 100, { style: "percent", maximumFractionDigits: 0 });
}

/** "a, b and c" in the words' language. */
export function listInWords(words: ReviewWords, items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return words.t("listAnd", { head: items.slice(0, -1).join(", "), last: items[items.length - 1] });
}

/** The first letter in capitals, for sentences that begin with a metric's name. */
export function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
