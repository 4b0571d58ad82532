// The message catalogues: one JSON file per namespace and language (messages/<locale>/<namespace>.json), merged
// here per language. Add a namespace by adding its two files and one line per language below; the completeness
// test (lib/i18n/messages.test.ts) checks every key exists in every language.
import type { Locale } from "@/lib/i18n/locales";
import enCommon from "./en/common.json";
import frCommon from "./fr/common.json";
import enShell from "./en/shell.json";
import frShell from "./fr/shell.json";
import enSettings from "./en/settings.json";
import frSettings from "./fr/settings.json";
import enReviewSentences from "./en/reviewSentences.json";
import frReviewSentences from "./fr/reviewSentences.json";
import enReviews from "./en/reviews.json";
import frReviews from "./fr/reviews.json";
import enReview from "./en/review.json";
import frReview from "./fr/review.json";
import enSignOffSheet from "./en/signOffSheet.json";
import frSignOffSheet from "./fr/signOffSheet.json";
import enModelVersion from "./en/modelVersion.json";
import frModelVersion from "./fr/modelVersion.json";

export const catalogues = {
  en: { common: enCommon, shell: enShell, settings: enSettings, reviewSentences: enReviewSentences, reviews: enReviews, review: enReview, signOffSheet: enSignOffSheet, modelVersion: enModelVersion },
  fr: { common: frCommon, shell: frShell, settings: frSettings, reviewSentences: frReviewSentences, reviews: frReviews, review: frReview, signOffSheet: frSignOffSheet, modelVersion: frModelVersion },
} satisfies Record<Locale, Record<string, unknown>>;

export type Messages = (typeof catalogues)["en"];

export function messagesFor(locale: Locale): Messages {
  return catalogues[locale] as Messages;
}
