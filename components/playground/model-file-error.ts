// The playground's model file that the studio would not send (a 404, an altered file's 503): the line says it in the
// reader's language from its catalogue sentence (error.playground.model_fetch_*), with the studio's own reason, which
// the download route already says in the reader's language (the browser sends its language cookie and Accept-Language).
import { sentence, type ServerSentence } from "@/lib/i18n/server-sentence";

/** A model file that could not be fetched: its English message (as before) and the same as a catalogue sentence. */
export class ModelFileError extends Error {
  constructor(
    message: string,
    readonly sentence: ServerSentence,
  ) {
    super(message);
  }
}

/** The error of a failed model download, with the studio's reason when its answer carries one (MLflow's error JSON). */
export async function modelFileError(response: Response): Promise<ModelFileError> {
  const body: unknown = await response.json().catch(() => null);
  const reason = typeof body === "object" && body !== null && typeof (body as { message?: unknown }).message === "string" ? (body as { message: string }).message : null;
  const status = String(response.status);
  return reason
    ? new ModelFileError(`The model file could not be fetched (HTTP ${status}): ${reason}`, sentence("error.playground.model_fetch_refused", { status, reason }))
    : new ModelFileError(`The model file could not be fetched (HTTP ${status}). Reload the page, or check the version page.`, sentence("error.playground.model_fetch_failed", { status }));
}
