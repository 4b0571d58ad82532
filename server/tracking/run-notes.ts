// A run's notes: the markdown MLflow keeps in the tag mlflow.note.content, written through the same set-tag service as the REST API.
import { z } from "zod";
import { RUN_NOTE_MAX_LENGTH, RUN_NOTE_TAG } from "@/lib/run-note";
import type { ServiceContext } from "../service-context";
import { setTag } from "./runs";

export const zSetRunNote = z.object({
  runId: z.string().min(1).max(64),
  content: z.string().max(RUN_NOTE_MAX_LENGTH, {
    error: (issue) =>
      `Notes can be at most ${RUN_NOTE_MAX_LENGTH} characters; these have ${typeof issue.input === "string" ? issue.input.length : "more"}. Shorten them, or log long text as an artifact.`,
  }),
});

/**
 * Saves a run's notes. Going through setTag means the notes obey everything a REST set-tag does:
 * the tracking.write permission, MLflow's tag limits, and no writes to a deleted run.
 */
export async function setRunNote(ctx: ServiceContext, input: z.output<typeof zSetRunNote>): Promise<{ content: string }> {
  await setTag(ctx, input.runId, { key: RUN_NOTE_TAG, value: input.content });
  return { content: input.content };
}
