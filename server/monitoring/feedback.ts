// Feedback: the true outcome of served rows, sent later by the caller with the request id it got back.
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { inferenceFeedback, inferenceLog } from "@/db/schema";
import type { ServiceContext } from "../service-context";
import { authorize } from "../auth/permissions";
import { describeZodError, invalidParameter } from "../errors";
import { findRegisteredModel } from "../registry/model-versions";

const zLabel = z.union([z.number().finite(), z.string().max(1000)]);
const zFeedbackItem = z
  .object({
    request_id: z.string().min(1, "request_id is the x-request-id the serving endpoint answered").max(200),
    /** Row of a batch request (0-based); 0 for one-row requests. */
    row: z.number().int().min(0).max(2_147_483_647, "row must fit the stored row index").optional(),
    label: zLabel.optional(),
    /** All rows of one request at once, in order. */
    labels: z.array(zLabel).max(100_000).optional(),
  })
  .refine((item) => (item.label === undefined) !== (item.labels === undefined), { message: "give either 'label' (one row) or 'labels' (every row of the request)" });

/** One item, or `{ "feedback": [items] }` for a batch. */
export const zFeedbackBody = z.union([z.object({ feedback: z.array(zFeedbackItem).min(1).max(10_000) }), zFeedbackItem]);

export interface FeedbackResult {
  /** Rows stored (a row sent again replaces its label). */
  accepted: number;
  /** Request ids with no logged request (not sampled, expired or unknown): stored, but no live metric can use them. */
  unmatchedRequestIds: string[];
}

export async function recordFeedback(ctx: ServiceContext, input: { name: string; body: unknown }): Promise<FeedbackResult> {
  authorize(ctx.actor, "studio.read");
  const parsed = zFeedbackBody.safeParse(input.body);
  if (!parsed.success) throw invalidParameter(`Invalid feedback: ${describeZodError(parsed.error)}`);
  const items = "feedback" in parsed.data ? parsed.data.feedback : [parsed.data];
  const model = await findRegisteredModel(ctx.db, input.name);
  const now = Date.now();
  const sent = items.flatMap((item) =>
    item.labels !== undefined
      ? item.labels.map((label, index) => ({ modelId: model.modelId, requestId: item.request_id, rowIndex: index, label, at: now }))
      : [{ modelId: model.modelId, requestId: item.request_id, rowIndex: item.row ?? 0, label: item.label as number | string, at: now }],
  );
  // One row sent twice in a batch keeps its last label (one INSERT … ON CONFLICT cannot update a row twice).
  const rows = [...new Map(sent.map((row) => [`${row.requestId}\u0000${row.rowIndex}`, row])).values()];
  const requestIds = [...new Set(rows.map((row) => row.requestId))];
  await ctx.db.transaction(async (tx) => {
    for (let start = 0; start < rows.length; start += 1000) {
      await tx
        .insert(inferenceFeedback)
        .values(rows.slice(start, start + 1000))
        .onConflictDoUpdate({
          target: [inferenceFeedback.modelId, inferenceFeedback.requestId, inferenceFeedback.rowIndex],
          set: { label: sqlExcluded("label"), at: now },
        });
    }
  });
  const logged = new Set<string>();
  for (let start = 0; start < requestIds.length; start += 5000) {
    const found = await ctx.db
      .selectDistinct({ requestId: inferenceLog.requestId })
      .from(inferenceLog)
      .where(and(eq(inferenceLog.modelId, model.modelId), inArray(inferenceLog.requestId, requestIds.slice(start, start + 5000))));
    for (const row of found) logged.add(row.requestId);
  }
  return { accepted: rows.length, unmatchedRequestIds: requestIds.filter((id) => !logged.has(id)) };
}

function sqlExcluded(column: string) {
  return sql.raw(`excluded.${column}`);
}
