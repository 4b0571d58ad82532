// Feedback: the true outcome of served rows, sent later by the caller with the request id it got back. Labels are
// evidence: who posted is recorded, bad labels and unknown requests are refused (nothing stored), a new label for a
// row supersedes the earlier one, which is kept.
import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { evaluationReports, inferenceFeedback, inferenceLog, modelVersions, reviews } from "@/db/schema";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../auth/audit";
import { can } from "../auth/permissions";
import { sentence, type ServerSentence } from "@/lib/i18n/server-sentence";
import { DomainError, describeZodError, invalidParameter, zodErrorSentence } from "../errors";
import { findRegisteredModel } from "../registry/model-versions";
import { decodeOnnxModel, int64ToNumber } from "../registry/onnx-introspection";
import { readModelVersionOnnx } from "../registry/onnx-versions";
import type { ServiceContext } from "../service-context";
import { taskOfIntrospection } from "./monitoring";

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

export interface SupersededLabel {
  requestId: string;
  row: number;
  previousLabel: number | string;
  /** Who posted the replaced label (null when it predates recording posters). */
  previousBy: string | null;
  label: number | string;
}

export interface FeedbackResult {
  /** Rows stored. */
  accepted: number;
  /** Rows that already had a label: the earlier one is kept, marked superseded, and no longer counts. */
  superseded: SupersededLabel[];
}

/** How the poster authenticated: a 'serve'-scoped API token is the credential serving clients are given. */
export interface FeedbackCredential {
  serveScopedToken: boolean;
}

/** Editors and admins may post; so may a 'serve'-scoped token, unless its owner is a viewer (viewers write nothing). */
export function authorizeFeedback(actor: Actor, credential: FeedbackCredential): void {
  if (can(actor, "feedback.write")) return;
  if (credential.serveScopedToken && actor.role !== "viewer") return;
  throw new DomainError(
    "PERMISSION_DENIED",
    `Permission denied: '${actor.username}' has role '${actor.role}', which cannot post feedback labels. Use an API token with the 'serve' scope owned by a non-viewer account, or an editor's or admin's credentials.`,
    undefined,
    sentence("error.feedback.permission", { username: actor.username, role: actor.role }),
  );
}

/** Problems are listed up to this many in the refusal; the count says how many there were. */
const MAX_LISTED_PROBLEMS = 10;

type Task = "binary" | "multiclass" | "regression";
const classCache = new Map<number, { task: Task | null; classes: string[] | null }>();

/** Class names from the ONNX classifier node (classlabels_int64s / classlabels_strings), in output order. */
function classLabelsOfOnnx(bytes: Uint8Array): string[] | null {
  const model = decodeOnnxModel(bytes);
  for (const node of model.graph.node) {
    for (const attribute of node.attribute) {
      const ints = attribute.ints ?? [];
      const strings = attribute.strings ?? [];
      if (attribute.name === "classlabels_int64s" && ints.length > 0) return ints.map((value) => String(int64ToNumber(value)));
      if (attribute.name === "classlabels_strings" && strings.length > 0) return strings.map((bytes) => new TextDecoder().decode(bytes));
    }
  }
  return null;
}

/**
 * The task and class names of the version that answered: from its acceptance report when it has one (the classes the
 * reviewers saw), else from the ONNX graph, else "0"…"k-1" from the probabilities' width. Versions are immutable, so
 * the answer is cached by version id.
 */
export async function labelSpaceOf(ctx: ServiceContext, modelName: string, versionId: number): Promise<{ task: Task | null; classes: string[] | null }> {
  const cached = classCache.get(versionId);
  if (cached) return cached;
  const [version] = await ctx.db.select({ version: modelVersions.version, introspection: modelVersions.introspection }).from(modelVersions).where(eq(modelVersions.versionId, versionId));
  const task = version ? taskOfIntrospection(version.introspection) : null;
  let classes: string[] | null = null;
  if (version && task && task !== "regression") {
    const [reported] = await ctx.db
      .select({ classes: sql<string[] | null>`${evaluationReports.report} -> 'classification' -> 'classes'` })
      .from(reviews)
      .innerJoin(evaluationReports, eq(evaluationReports.reportId, reviews.reportId))
      .where(eq(reviews.modelVersionId, versionId))
      .limit(1);
    classes = Array.isArray(reported?.classes) ? reported.classes.map(String) : null;
    if (!classes) {
      try {
        classes = classLabelsOfOnnx((await readModelVersionOnnx(ctx, modelName, String(version.version))).bytes);
      } catch {
        classes = null;
      }
    }
    if (!classes) {
      const outputs = (version.introspection as { outputs?: { shape?: (number | string | null)[] | null }[] } | null)?.outputs ?? [];
      const width = outputs.map((o) => o.shape?.[1]).find((w): w is number => typeof w === "number" && w >= 2);
      classes = width ? Array.from({ length: width }, (_, i) => String(i)) : null;
    }
  }
  const space = { task, classes };
  if (classCache.size > 1000) classCache.clear();
  classCache.set(versionId, space);
  return space;
}

function describeLabel(label: number | string): string {
  return typeof label === "string" ? `'${label}'` : String(label);
}

export async function recordFeedback(
  ctx: ServiceContext,
  input: { name: string; body: unknown; credential?: FeedbackCredential },
): Promise<FeedbackResult> {
  authorizeFeedback(ctx.actor, input.credential ?? { serveScopedToken: false });
  const parsed = zFeedbackBody.safeParse(input.body);
  if (!parsed.success) throw invalidParameter(`Invalid feedback: ${describeZodError(parsed.error)}`, sentence("error.feedback.invalid", { issues: [zodErrorSentence(parsed.error)] }));
  const items = "feedback" in parsed.data ? parsed.data.feedback : [parsed.data];
  const model = await findRegisteredModel(ctx.db, input.name);
  const now = Date.now();
  const rows = items.flatMap((item) =>
    item.labels !== undefined
      ? item.labels.map((label, index) => ({ requestId: item.request_id, rowIndex: index, label }))
      : [{ requestId: item.request_id, rowIndex: item.row ?? 0, label: item.label as number | string }],
  );
  // Each problem in English and as its sentence (error.feedback.*), so the refusal is said in the caller's language.
  const problems: string[] = [];
  const said: ServerSentence[] = [];
  const problem = (text: string, code: string, params: ServerSentence["params"]) => {
    problems.push(text);
    said.push(sentence(`error.feedback.${code}`, params));
  };
  const seen = new Set<string>();
  for (const row of rows) {
    const key = `${row.requestId}\u0000${row.rowIndex}`;
    if (seen.has(key)) {
      problem(`request ${row.requestId} row ${row.rowIndex} is labelled twice in this post: send one label per row`, "labelled_twice", { request: row.requestId, row: String(row.rowIndex) });
    }
    seen.add(key);
  }

  // Which request each label is about: the logged request tells the version that answered and how many rows it had.
  const requestIds = [...new Set(rows.map((row) => row.requestId))];
  const logged = new Map<string, { versionId: number; rowCount: number }>();
  for (let start = 0; start < requestIds.length; start += 5000) {
    const found = await ctx.db
      .select({ requestId: inferenceLog.requestId, versionId: inferenceLog.versionId, rowCount: inferenceLog.rowCount })
      .from(inferenceLog)
      .where(
        // A shadow's copy shares production's request id; the label is about the answer that was returned.
        and(eq(inferenceLog.modelId, model.modelId), ne(inferenceLog.route, "shadow"), inArray(inferenceLog.requestId, requestIds.slice(start, start + 5000))),
      );
    for (const row of found) logged.set(row.requestId, { versionId: row.versionId, rowCount: row.rowCount });
  }
  const unknown = requestIds.filter((id) => !logged.has(id));
  if (unknown.length) {
    const ids = `${unknown.slice(0, MAX_LISTED_PROBLEMS).map((id) => `'${id}'`).join(", ")}${unknown.length > MAX_LISTED_PROBLEMS ? ", …" : ""}`;
    problem(
      `unknown request id${unknown.length > 1 ? "s" : ""} ${ids}: '${model.name}' logged no such request (not sampled, expired, another model's, or a mistyped id)`,
      "unknown_requests",
      { count: unknown.length, ids, model: model.name },
    );
  }
  const spaces = new Map<number, { task: Task | null; classes: string[] | null }>();
  for (const versionId of new Set([...logged.values()].map((l) => l.versionId))) spaces.set(versionId, await labelSpaceOf(ctx, model.name, versionId));
  for (const row of rows) {
    const request = logged.get(row.requestId);
    if (!request) continue;
    if (row.rowIndex >= request.rowCount) {
      problem(`request ${row.requestId} had ${request.rowCount} row${request.rowCount === 1 ? "" : "s"}, so it has no row ${row.rowIndex}`, "no_such_row", {
        request: row.requestId,
        count: request.rowCount,
        rows: String(request.rowCount),
        row: String(row.rowIndex),
      });
      continue;
    }
    const space = spaces.get(request.versionId)!;
    if (space.task === "regression" && typeof row.label !== "number") {
      problem(`request ${row.requestId} row ${row.rowIndex}: ${describeLabel(row.label)} is not a number, and this model predicts numbers`, "not_a_number", {
        request: row.requestId,
        row: String(row.rowIndex),
        label: describeLabel(row.label),
      });
    } else if (space.task !== "regression" && space.classes && !space.classes.includes(String(row.label))) {
      problem(`request ${row.requestId} row ${row.rowIndex}: ${describeLabel(row.label)} is not one of the model's classes (${space.classes.join(", ")})`, "not_a_class", {
        request: row.requestId,
        row: String(row.rowIndex),
        label: describeLabel(row.label),
        classes: space.classes.join(", "),
      });
    }
  }
  if (problems.length) {
    const more = problems.length > MAX_LISTED_PROBLEMS;
    throw invalidParameter(
      `Feedback refused, nothing was stored: ${problems.length} problem${problems.length === 1 ? "" : "s"}: ${problems.slice(0, MAX_LISTED_PROBLEMS).join("; ")}${more ? "; …" : ""}. Fix them and send the post again.`,
      sentence("error.feedback.refused", { count: problems.length, total: String(problems.length), problems: said.slice(0, MAX_LISTED_PROBLEMS), more: more ? "yes" : "no" }),
    );
  }

  const superseded: SupersededLabel[] = [];
  await ctx.db.transaction(async (tx) => {
    const labelOf = new Map(rows.map((row) => [`${row.requestId}\u0000${row.rowIndex}`, row.label]));
    for (let start = 0; start < rows.length; start += 5000) {
      const chunk = rows.slice(start, start + 5000);
      const replaced = await tx
        .update(inferenceFeedback)
        .set({ supersededAt: now })
        .where(
          and(
            eq(inferenceFeedback.modelId, model.modelId),
            isNull(inferenceFeedback.supersededAt),
            sql`(${inferenceFeedback.requestId}, ${inferenceFeedback.rowIndex}) in (select * from unnest(${sql.param(chunk.map((r) => r.requestId))}::text[], ${sql.param(chunk.map((r) => r.rowIndex))}::int[]))`,
          ),
        )
        .returning({ requestId: inferenceFeedback.requestId, rowIndex: inferenceFeedback.rowIndex, label: inferenceFeedback.label, postedBy: inferenceFeedback.postedBy });
      for (const old of replaced) {
        superseded.push({ requestId: old.requestId, row: old.rowIndex, previousLabel: old.label, previousBy: old.postedBy, label: labelOf.get(`${old.requestId}\u0000${old.rowIndex}`)! });
      }
    }
    const values = rows.map((row) => ({ modelId: model.modelId, requestId: row.requestId, rowIndex: row.rowIndex, label: row.label, at: now, postedById: ctx.actor.userId, postedBy: ctx.actor.username }));
    for (let start = 0; start < values.length; start += 1000) await tx.insert(inferenceFeedback).values(values.slice(start, start + 1000));
    await recordAudit(tx, ctx.actor, {
      action: "feedback.record",
      targetType: "registered_model",
      targetId: model.name,
      before: superseded.length
        ? { superseded: superseded.slice(0, 100).map((s) => ({ requestId: s.requestId, row: s.row, label: s.previousLabel, postedBy: s.previousBy })) }
        : null,
      after: { rows: rows.length, requestIds: requestIds.slice(0, 100) },
      meta: { supersededCount: superseded.length, requestCount: requestIds.length },
    });
  });
  return { accepted: rows.length, superseded };
}
