// Test support: what a studio page shows for a refusal, in a given language (as components/ui/use-error-text does),
// so a test can check the English catalogue says exactly the server's message and the French one says it in French.
import { createTranslator } from "next-intl";
import { sentenceText, type SentenceTranslator } from "@/lib/i18n/server-sentence";
import type { Locale } from "@/lib/i18n/locales";
import { catalogues } from "@/messages";
import { isDomainError, type DomainError } from "../errors";

/** The DomainError a promise rejects with (fails the test when it resolves, or rejects with anything else). */
export async function refusalOf(promise: Promise<unknown>): Promise<DomainError> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!isDomainError(outcome)) throw new Error(`expected a DomainError, got ${outcome === null ? "success" : String(outcome)}`);
  return outcome;
}

/** The refusal as a page in `locale` says it: its sentence from the catalogue, or its English message without one. */
export function saidIn(locale: Locale, error: DomainError): string {
  const t = createTranslator({ locale, messages: catalogues[locale], namespace: "sentences" }) as unknown as SentenceTranslator;
  return sentenceText(t, error.sentence, error.message);
}
