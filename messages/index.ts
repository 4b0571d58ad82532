// The message catalogues: one JSON file per namespace and language (messages/<locale>/<namespace>.json), merged
// here per language. Add a namespace by adding its two files and one import per language below; the completeness
// test (lib/i18n/messages.test.ts) checks every key exists in every language.
import type { Locale } from "@/lib/i18n/locales";
import enCommon from "./en/common.json";
import frCommon from "./fr/common.json";
import enComparison from "./en/comparison.json";
import frComparison from "./fr/comparison.json";
import enFairness from "./en/fairness.json";
import frFairness from "./fr/fairness.json";
import enReasons from "./en/reasons.json";
import frReasons from "./fr/reasons.json";
import enSignOff from "./en/signOff.json";
import frSignOff from "./fr/signOff.json";
import enTechnicalFile from "./en/technicalFile.json";
import frTechnicalFile from "./fr/technicalFile.json";
import enValue from "./en/value.json";
import frValue from "./fr/value.json";

export const catalogues = {
  en: { common: enCommon, comparison: enComparison, fairness: enFairness, reasons: enReasons, signOff: enSignOff, technicalFile: enTechnicalFile, value: enValue },
  fr: { common: frCommon, comparison: frComparison, fairness: frFairness, reasons: frReasons, signOff: frSignOff, technicalFile: frTechnicalFile, value: frValue },
} satisfies Record<Locale, Record<string, unknown>>;

export type Messages = (typeof catalogues)["en"];

export function messagesFor(locale: Locale): Messages {
  return catalogues[locale] as Messages;
}
