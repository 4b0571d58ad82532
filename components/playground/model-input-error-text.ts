// Says what went wrong in a playground tool in the reader's language: a model-input problem (lib/model-inputs) or a
// server refusal from its catalogue sentence, anything else (ORT's own words, a network failure) as it came.
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { sentenceOfError, sentenceText, type ErrorWithSentence, type SentenceTranslator, type ServerSentence } from "@/lib/i18n/server-sentence";
import { ModelInputError } from "@/lib/model-inputs";

/** `(error) => text`: the error's sentence from the `sentences` catalogue, else its own message. */
export function useModelInputErrorText(): (error: unknown) => string {
  // next-intl types its translator by the catalogue's keys; a sentence's code is a key known only at run time.
  const t = useTranslations("sentences") as unknown as SentenceTranslator;
  return useCallback(
    (error: unknown) => {
      if (error instanceof ModelInputError) return sentenceText(t, error.sentence, error.message);
      if (error instanceof Error) return sentenceText(t, sentenceOfError(error as ErrorWithSentence), error.message);
      return String(error);
    },
    [t],
  );
}

/** `(sentence, fallback) => text`: a problem carried as a sentence beside its English (a plan's, the JSON view's, the form post's). */
export function useSaidProblem(): (sentence: ServerSentence | null | undefined, fallback: string) => string {
  const t = useTranslations("sentences") as unknown as SentenceTranslator;
  return useCallback((said: ServerSentence | null | undefined, fallback: string) => sentenceText(t, said, fallback), [t]);
}
