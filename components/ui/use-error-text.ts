// Says a server error in the reader's language: the catalogue's wording of the code the error carries, else (a code
// this page does not know, an error without one, a network failure) the server's English message as it came.
import { useTranslations } from "next-intl";
import { fieldErrorTexts, sentenceOfError, sentenceText, type ErrorWithSentence, type SentenceTranslator } from "@/lib/i18n/server-sentence";

export type { ErrorWithSentence };

/** `(error) => text`: the error's sentence from the `sentences` catalogue, or its English message. */
export function useErrorText(): (error: ErrorWithSentence) => string {
  // next-intl types its translator by the catalogue's keys; a server code is a key known only at run time (t.has checks it).
  const t = useTranslations("sentences") as unknown as SentenceTranslator;
  return (error) => sentenceText(t, sentenceOfError(error), error.message);
}

/** `(error) => { field: [text] }`: a form's field errors in the reader's language, or zod's English without sentences. */
export function useFieldErrorTexts(): (error: ErrorWithSentence) => Record<string, string[]> {
  const t = useTranslations("sentences") as unknown as SentenceTranslator;
  return (error) => fieldErrorTexts(t, error);
}
