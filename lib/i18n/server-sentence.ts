// A sentence the server makes for people (a guard's reason, a webhook delivery's error, an event's wording), kept as a
// catalogue code and the values it is made of, so each page says it in the reader's language. Pure: browser and server.
import { z } from "zod";

/** A value of a sentence: a word or number, or sentences said in turn (a guard action's reasons, a decision's name). */
export type SentenceValue = string | number | ServerSentence[];

export interface ServerSentence {
  /** Key in the `sentences` catalogue namespace, e.g. `guard.error_rate`. */
  code: string;
  params: Record<string, SentenceValue>;
  /** What to say when the catalogue has no `code` (a value the page does not know yet, e.g. a new decision name). */
  text?: string;
}

export const zServerSentence: z.ZodType<ServerSentence> = z.lazy(() =>
  z.object({
    code: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.array(zServerSentence)])),
    text: z.string().optional(),
  }),
);

export function sentence(code: string, params: Record<string, SentenceValue> = {}, text?: string): ServerSentence {
  return text === undefined ? { code, params } : { code, params, text };
}

/**
 * Stored sentences that match stored English texts one for one (e.g. a flag's reasons), else none at all: rows written
 * before codes were kept, or by a server that kept a different list, are shown in their English text.
 */
export function sentencesOneForOne(texts: readonly string[], messages: readonly ServerSentence[] | null | undefined): ServerSentence[] | null {
  return messages && messages.length === texts.length ? [...messages] : null;
}

/** The slice of next-intl's translator (of the `sentences` namespace) this needs; any locale's will do. */
export interface SentenceTranslator {
  (key: string, values?: Record<string, string | number>): string;
  has(key: string): boolean;
}

class UnknownSentence extends Error {}

function say(t: SentenceTranslator, message: ServerSentence): string {
  if (!t.has(message.code)) {
    if (message.text !== undefined) return message.text;
    throw new UnknownSentence(message.code);
  }
  const values: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(message.params)) {
    values[key] = Array.isArray(value) ? value.map((part) => say(t, part)).join(t("separator")) : value;
  }
  return t(message.code, values);
}

/**
 * `message` in the translator's language; `fallback` (the server's English text, as stored) when there is no message
 * (rows written before codes were kept) or the catalogue lacks one of its codes (a newer server than this page).
 */
export function sentenceText(t: SentenceTranslator, message: ServerSentence | null | undefined, fallback: string): string {
  if (!message) return fallback;
  try {
    return say(t, message);
  } catch (error) {
    if (error instanceof UnknownSentence) return fallback;
    throw error;
  }
}

/** The slice of a tRPC client error a page reads: its message, and the data the studio's error formatter adds. */
export interface ErrorWithSentence {
  message: string;
  data?: unknown;
}

/** The sentence a server error carries (server/trpc.ts errorFormatter: `data.sentence`), if it is well-formed. */
export function sentenceOfError(error: ErrorWithSentence): ServerSentence | null {
  const data = error.data;
  if (typeof data !== "object" || data === null || !("sentence" in data)) return null;
  const parsed = zServerSentence.safeParse((data as { sentence: unknown }).sentence);
  return parsed.success ? parsed.data : null;
}

const zFieldSentences = z.record(z.string(), z.array(zServerSentence));

/**
 * A form's field errors in the translator's language: `data.fieldErrors` (zod's English messages per field) said from
 * `data.fieldSentences` where the server sent them one for one (server/trpc.ts), else as they came.
 */
export function fieldErrorTexts(t: SentenceTranslator, error: ErrorWithSentence): Record<string, string[]> {
  const data = error.data;
  if (typeof data !== "object" || data === null || !("fieldErrors" in data)) return {};
  const fieldErrors = (data as { fieldErrors: unknown }).fieldErrors;
  if (typeof fieldErrors !== "object" || fieldErrors === null) return {};
  const parsed = "fieldSentences" in data ? zFieldSentences.safeParse((data as { fieldSentences: unknown }).fieldSentences) : null;
  const sentences = parsed?.success ? parsed.data : {};
  const texts: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(fieldErrors as Record<string, unknown>)) {
    if (!Array.isArray(messages)) continue;
    const said = sentences[field]?.length === messages.length ? sentences[field] : undefined;
    texts[field] = messages.map((message, i) => sentenceText(t, said?.[i], String(message)));
  }
  return texts;
}
