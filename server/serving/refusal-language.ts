// Serving's refusals (401, 403, 404, 400, 413, 503 of /api/serve/…/invocations, …/feedback and /v2/…) in the caller's language: the language
// cookie, else Accept-Language, else English, as the studio's pages choose. English callers read the error's own
// message, byte for byte. The standalone serving process (`npm run serve`) does not load the studio's catalogue: it
// says refusals from a table of only the sentences serving uses (refusal-sentences/<locale>.json, made from the
// catalogue and checked against it by refusal-language.test.ts), loaded the first time a non-English caller is
// refused. Answered requests never come here: their cost is unchanged.
import type { Locale } from "@/lib/i18n/locales";
import { sentenceText, type SentenceTranslator } from "@/lib/i18n/server-sentence";
import type { RequestLike } from "../auth/authenticate";
import type { DomainError } from "../errors";
import { requestLocale } from "../http/request-locale";

/** The keys of the `sentences` catalogue that serving's refusals say (`.*`: a whole subtree): the table's contents. */
export const SERVING_SENTENCE_KEYS = [
  "separator",
  "error.auth.required_serving",
  "error.auth.invalid_credentials",
  "error.auth.cross_site",
  "error.auth.permission",
  "error.auth.labeller_only",
  "error.serving.*",
  "error.feedback.*",
  "error.server.*",
  "error.input.*",
  "error.registry.name_missing",
  "error.registry.name_separator",
  "error.registry.version_not_integer",
  "error.not_found.model",
  "error.model_file.*",
  "flag.integrity.altered",
  "flag.integrity.missing",
  "term.permission.*",
] as const;

type TranslatedLocale = Exclude<Locale, "en">;

/** Each language's table, imported only when first needed (one static import per language, so bundlers find it). */
export const servingSentenceTables: Record<TranslatedLocale, () => Promise<Record<string, unknown>>> = {
  fr: () => import("./refusal-sentences/fr.json").then((table) => table.default as Record<string, unknown>),
};

const translators = new Map<TranslatedLocale, Promise<SentenceTranslator | null>>();

function translatorFor(locale: TranslatedLocale): Promise<SentenceTranslator | null> {
  let translator = translators.get(locale);
  if (!translator) {
    translator = Promise.all([import("next-intl"), servingSentenceTables[locale]()]).then(
      ([{ createTranslator }, messages]) => createTranslator({ locale, messages }) as unknown as SentenceTranslator,
      (error: unknown) => {
        // Refusals are then said in English (and say so): a missing table must not turn a 404 into a 500.
        console.error(`[serving] the ${locale} refusal sentences could not be loaded`, error);
        return null;
      },
    );
    translators.set(locale, translator);
  }
  return translator;
}

/** A refusal's message and the language it is in (Content-Language). */
export interface SaidRefusal {
  message: string;
  language: Locale;
}

/** `failure`'s message in the language `request` asks for when the table can say it, else its English message as it is. */
export async function saidServingRefusal(request: RequestLike, failure: DomainError): Promise<SaidRefusal> {
  const locale = requestLocale(request);
  if (locale === "en" || !failure.sentence) return { message: failure.message, language: "en" };
  const t = await translatorFor(locale);
  const message = t ? sentenceText(t, failure.sentence, failure.message) : failure.message;
  return { message, language: message === failure.message ? "en" : locale };
}
