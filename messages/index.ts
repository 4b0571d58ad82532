// The message catalogues: one JSON file per namespace and language (messages/<locale>/<namespace>.json), merged
// here per language. Add a namespace by adding its two files and one line per language below; the completeness
// test (lib/i18n/messages.test.ts) checks every key exists in every language.
import type { Locale } from "@/lib/i18n/locales";
import enCommon from "./en/common.json";
import frCommon from "./fr/common.json";
import enReasons from "./en/reasons.json";
import frReasons from "./fr/reasons.json";

export const catalogues = {
  en: { common: enCommon, reasons: enReasons },
  fr: { common: frCommon, reasons: frReasons },
} satisfies Record<Locale, Record<string, unknown>>;

export type Messages = (typeof catalogues)["en"];

export function messagesFor(locale: Locale): Messages {
  return catalogues[locale] as Messages;
}
