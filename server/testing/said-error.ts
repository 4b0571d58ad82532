// Test support: what a studio page shows for a refusal, in a given language (as components/ui/use-error-text does),
// so a test can check the English catalogue says exactly the server's message and the French one says it in French.
import { expect } from "vitest";
import { createTranslator } from "next-intl";
import { sentenceText, type SentenceTranslator, type ServerSentence } from "@/lib/i18n/server-sentence";
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

/** A refusal as pages receive it: its English message and, when it has one, its catalogue sentence. */
export interface SaidRefusal {
  message: string;
  sentence?: ServerSentence;
}

/** The refusal as a page in `locale` says it: its sentence from the catalogue, or its English message without one. */
export function saidIn(locale: Locale, error: SaidRefusal): string {
  const t = createTranslator({ locale, messages: catalogues[locale], namespace: "sentences" }) as unknown as SentenceTranslator;
  return sentenceText(t, error.sentence, error.message);
}

/** The DomainError a synchronous check throws (fails the test when it returns, or throws anything else). */
export function refusalOfCall(check: () => unknown): DomainError {
  try {
    check();
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

/**
 * French as a test writes it with plain spaces, given the non-breaking spaces (U+00A0) French typography puts before
 * « : ; ? ! » and inside « » (not before "!=" or ":=", operators quoted from a filter, nor before "::", an ICU number
 * skeleton). The French catalogue follows the same rule (lib/i18n/messages.test.ts).
 */
export function frenchTypography(text: string): string {
  return text.replace(/ ([:;?!»])(?![=:])/g, "\u00a0$1").replaceAll("« ", "«\u00a0");
}

/** The refusal carries a sentence whose English is exactly its message and whose French is `french`. */
export function expectSaidInFrench(error: SaidRefusal, french: string): void {
  expect(error.sentence, error.message).toBeDefined();
  expect(saidIn("en", error)).toBe(error.message);
  expect(saidIn("fr", error)).toBe(frenchTypography(french));
}
