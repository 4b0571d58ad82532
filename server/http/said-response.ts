// A REST refusal in the caller's language: the language the studio's pages would use for the same request (the
// language cookie set from the user's settings, else Accept-Language, else English). A refusal with a catalogue
// sentence is said from it in French; English, and any refusal without a sentence, keep the error's own message,
// byte for byte, so clients that send no language (curl, the MLflow client, scripts) read exactly what they did before.
import { createTranslator } from "next-intl";
import type { Locale } from "@/lib/i18n/locales";
import { sentenceText, type SentenceTranslator } from "@/lib/i18n/server-sentence";
import { catalogues } from "@/messages";
import type { RequestLike } from "../auth/authenticate";
import { toDomainError, type DomainError } from "../errors";
import { jsonResponse } from "./mlflow-wire";
import { requestLocale } from "./request-locale";

const translators = new Map<Locale, SentenceTranslator>();

function sentencesIn(locale: Locale): SentenceTranslator {
  let t = translators.get(locale);
  if (!t) {
    t = createTranslator({ locale, messages: catalogues[locale], namespace: "sentences" }) as unknown as SentenceTranslator;
    translators.set(locale, t);
  }
  return t;
}

/**
 * errorResponse (server/http/mlflow-wire.ts) with the message in `locale` when the refusal has a sentence; the body's
 * other fields and the status are the same. Content-Language says which language the message is in.
 */
export function errorResponseIn(locale: Locale, error: unknown): Response {
  const domain = toDomainError(error);
  const { message, language } = saidMessage(locale, domain);
  return jsonResponse({ error_code: domain.code, message, ...domain.details }, domain.httpStatus, { "content-language": language });
}

/**
 * A refusal's message in `locale` when it has a catalogue sentence, else its English message as it is; and the language
 * the message is in (for Content-Language). English callers get `domain.message` itself.
 */
export function saidMessage(locale: Locale, domain: DomainError): { message: string; language: Locale } {
  const message = locale !== "en" && domain.sentence ? sentenceText(sentencesIn(locale), domain.sentence, domain.message) : domain.message;
  return { message, language: message === domain.message && locale !== "en" ? "en" : locale };
}

/** errorResponseIn in the language of `request` (requestLocale): what the studio's REST routes answer a refusal with. */
export function errorResponseFor(request: RequestLike, error: unknown): Response {
  return errorResponseIn(requestLocale(request), error);
}
