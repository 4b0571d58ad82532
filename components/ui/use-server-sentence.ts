// Says a sentence the server made (a guard's reason, a delivery error, an event) in the reader's language.
import { useTranslations } from "next-intl";
import { sentenceText, type SentenceTranslator, type ServerSentence } from "@/lib/i18n/server-sentence";

/** `(message, fallback) => text`: the message from the `sentences` catalogue, or the server's English text without one. */
export function useServerSentence(): (message: ServerSentence | null | undefined, fallback: string) => string {
  // next-intl types its translator by the catalogue's keys; a server code is a key known only at run time (t.has checks it).
  const t = useTranslations("sentences") as unknown as SentenceTranslator;
  return (message, fallback) => sentenceText(t, message, fallback);
}

/** `(messages, fallbacks) => text`: several sentences said in turn, each falling back to its own English text. */
export function useServerSentenceList(): (messages: readonly (ServerSentence | null)[], fallbacks: readonly string[]) => string {
  const t = useTranslations("sentences") as unknown as SentenceTranslator;
  return (messages, fallbacks) => fallbacks.map((text, i) => sentenceText(t, messages[i], text)).join(t("separator"));
}
