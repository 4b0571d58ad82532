// The Jobs admin page's wire shapes.
import { z } from "zod";

export const zJobState = z.enum(["queued", "running", "done", "failed", "cancelled"], {
  error: "state must be one of queued, running, done, failed, cancelled.",
});

export const zJobListInput = z.object({
  state: zJobState.optional(),
  limit: z.number().int().min(1, "limit must be at least 1.").max(500, "limit must be at most 500.").optional(),
});

export const zJobId = z.object({ jobId: z.number({ error: "jobId must be a job's number." }).int().positive("jobId must be a job's number.") });

export const zJobSummary = z.object({
  jobId: z.number(),
  kind: z.string(),
  target: z.string(),
  state: zJobState,
  attempts: z.number(),
  maxAttempts: z.number(),
  periodic: z.boolean(),
  lastError: z.string().nullable(),
  lockedBy: z.string().nullable(),
  runAt: z.number(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
});
export type JobSummary = z.infer<typeof zJobSummary>;

export const zJobList = z.object({
  jobs: z.array(zJobSummary),
  counts: z.record(zJobState, z.number()),
});
