// The playground's single-row form posted by the browser itself (before, or without, the page's JavaScript): the
// posted fields are read into a row by the same plan the page renders (the version's inputs named by its MLmodel
// signature and training profile), validated by the same zod row schema as the page's JSON, and scored by the same
// onnxruntime-node path as the page's server fallback (scorePlaygroundRow: its permission, checks and limits).
import { z } from "zod";
import { fieldProblem, inputRowSchema, feedsFromRows, ModelInputError, type FieldValue, type InputPlan, type InputRow } from "@/lib/model-inputs";
import { sentence, type ServerSentence } from "@/lib/i18n/server-sentence";
import { plainFeeds, type PlainOutputs } from "@/lib/ort-plain-tensors";
import { trainingDatasetOf } from "@/lib/feature-names";
import { formProfileColumns, playgroundInputPlan, type ProfiledColumn } from "@/components/playground/training-context";
import { playgroundFieldName } from "@/components/playground/form-field-name";
import { getDatasetVersion } from "../datasets/registry";
import { DomainError, invalidParameter, isDomainError, saidError } from "../errors";
import type { ServiceContext } from "../service-context";
import type { OnnxIntrospection } from "./onnx-introspection";
import { authorize } from "../auth/permissions";
import { findModelVersion, getModelVersionDetail, modelVersionDetailOf } from "./model-versions";
import { preparePlaygroundServerSession, scorePlaygroundRow, zPlaygroundRowRequest } from "./playground-scoring";
import { zModelVersionDetail, type ModelVersionDetail } from "./schema";

/** What the form shows after a post: the row as posted, and its prediction or what was wrong with it. */
export interface PlaygroundFormState {
  /** The posted row, shown in the form again (a number that could not be read is NaN, an empty box); null when the
   * post was refused before its fields were read. */
  row: InputRow | null;
  /** A message per field key whose value was refused. */
  fieldErrors: Record<string, string>;
  /** The field messages as catalogue sentences, for the page to say in the reader's language (absent: say them as they are). */
  fieldSentences?: Record<string, ServerSentence>;
  /** What kept the row from being scored, when it is not one field's fault (permission, the model, the runtime). */
  error: string | null;
  /** `error` as a catalogue sentence, when the refusal has one. */
  errorSentence?: ServerSentence | null;
  prediction: { outputs: PlainOutputs; runMs: number } | null;
}

const zFormModel = z.object({
  model: z.string().min(1).max(500),
  modelVersion: z.string().regex(/^\d+$/, "Version numbers are whole numbers"),
});

/**
 * The training profile's columns as the page's own query reads them, cut to what the form reads (null when there is no
 * training dataset in the lineage, no profile, or the reader may not see it: the form then works without them, as on
 * the page).
 */
export async function playgroundTrainingProfile(ctx: ServiceContext, lineage: unknown): Promise<ProfiledColumn[] | null> {
  const dataset = trainingDatasetOf(lineage);
  if (!dataset) return null;
  try {
    const columns = (await getDatasetVersion(ctx, dataset.name, dataset.version)).profile?.columns as ProfiledColumn[] | undefined;
    return columns ? formProfileColumns(columns) : null;
  } catch {
    return null;
  }
}

/**
 * What the playground page renders its form from, read once: the version's detail (null when it cannot be read: the
 * page's own query then shows why), its bytes' digest for the immutable model URL, and its training profile's columns
 * (undefined when the detail could not be read). The version is looked up once for all of them (it was three times,
 * each two queries in turn); the detail's tags, aliases and review and the training profile are then read side by side,
 * not one after the other. Also starts the version's onnxruntime-node session, not awaited, so a Predict pressed before
 * the browser's runtime is ready waits for the run only.
 */
export async function playgroundPageData(
  ctx: ServiceContext,
  name: string,
  version: string,
): Promise<{ detail: ModelVersionDetail | null; digest: string | null; trainingProfile: ProfiledColumn[] | null | undefined }> {
  let found: Awaited<ReturnType<typeof findModelVersion>>;
  try {
    authorize(ctx.actor, "studio.read");
    found = await findModelVersion(ctx.db, name, version);
  } catch {
    return { detail: null, digest: null, trainingProfile: undefined };
  }
  preparePlaygroundServerSession(ctx, name, version, found.row).catch(() => undefined);
  const [detail, trainingProfile] = await Promise.all([
    modelVersionDetailOf(ctx.db, found.model, found.row).then((d) => zModelVersionDetail.parse(d), () => null),
    playgroundTrainingProfile(ctx, found.row.lineage ?? null),
  ]);
  return { detail, digest: found.row.modelDigest ?? null, trainingProfile: detail ? trainingProfile : undefined };
}

/** The row as posted: text as written, a checkbox true when posted, a number as the browser's number box sent it. */
function postedRow(plan: InputPlan, form: FormData): Record<string, FieldValue | null> {
  const row: Record<string, FieldValue | null> = {};
  for (const field of plan.fields) {
    const posted = form.get(playgroundFieldName(field.key));
    const text = typeof posted === "string" ? posted : null;
    if (field.valueType === "boolean") row[field.key] = text !== null;
    else if (field.valueType === "string") row[field.key] = text;
    else row[field.key] = text === null || text.trim() === "" ? Number.NaN : Number(text);
  }
  return row;
}

/** A posted row's outcome: the form's state, and the refusal behind its `error` (null when scored, or when only fields
 * were refused), so a JSON route answers with that refusal's code and status. */
export interface PostedRowOutcome {
  state: PlaygroundFormState;
  refusal: DomainError | null;
}

/**
 * Scores the posted fields' row with onnxruntime-node. A refused value is a field message in the state; a refused call
 * (permission, version, model, runtime) is the state's error and the outcome's refusal; neither is thrown.
 */
export async function scorePostedPlaygroundRow(ctx: ServiceContext, form: FormData): Promise<PostedRowOutcome> {
  const refused = (refusal: DomainError, row: InputRow | null = null): PostedRowOutcome => ({
    state: { row, fieldErrors: {}, error: refusal.message, errorSentence: refusal.sentence ?? null, prediction: null },
    refusal,
  });
  const model = zFormModel.safeParse({ model: form.get("model"), modelVersion: form.get("modelVersion") });
  if (!model.success) {
    return refused(invalidParameter("The form does not name a model version: reload the playground and try again.", sentence("error.playground.form_no_version")));
  }
  const { model: name, modelVersion: version } = model.data;
  let row: InputRow | null = null;
  try {
    const detail = await getModelVersionDetail(ctx, name, version);
    const introspection = detail.introspection as OnnxIntrospection | null;
    if (!introspection) {
      return refused(
        saidError("INVALID_STATE", `Version ${version} of '${name}' has no ONNX graph the studio could read, so it cannot be scored.`, sentence("error.playground.no_graph", { model: name, version })),
      );
    }
    const plan = playgroundInputPlan(introspection, await playgroundTrainingProfile(ctx, detail.lineage));
    const posted = postedRow(plan, form);
    row = Object.fromEntries(Object.entries(posted).map(([key, value]) => [key, value ?? ""]));
    if (plan.problems.length) {
      const said = plan.problemSentences?.length === plan.problems.length ? sentence("error.model_input.problems", { problems: plan.problemSentences }) : undefined;
      return refused(new DomainError("INVALID_STATE", plan.problems.join(" "), undefined, said), row);
    }
    const parsed = inputRowSchema(plan).safeParse(posted);
    if (!parsed.success) {
      // Worded as the page words the same problem in its JSON view.
      const fieldErrors: Record<string, string> = {};
      const fieldSentences: Record<string, ServerSentence> = {};
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? "");
        if (key in fieldErrors) continue;
        const field = plan.fields.find((f) => f.key === key);
        const problem = fieldProblem(key, field?.valueType ?? "number", posted[key] === null);
        fieldErrors[key] = problem.message;
        fieldSentences[key] = problem.sentence;
      }
      return { state: { row, fieldErrors, fieldSentences, error: null, prediction: null }, refusal: null };
    }
    const request = zPlaygroundRowRequest.safeParse({ name, version, feeds: plainFeeds(feedsFromRows(plan, introspection.inputs, [parsed.data])) });
    if (!request.success) {
      const reason = request.error.issues.map((issue) => issue.message).join("; ");
      return refused(invalidParameter(`The row cannot be scored: ${reason}`, sentence("error.playground.row_unscorable", { reason })), row);
    }
    const { outputs, runMs } = await scorePlaygroundRow(ctx, request.data);
    return { state: { row: parsed.data, fieldErrors: {}, error: null, prediction: { outputs, runMs } }, refusal: null };
  } catch (error) {
    // The page's own path shows the same messages (tRPC maps DomainErrors to their message); anything else is a fault.
    if (isDomainError(error)) return refused(error, row);
    if (error instanceof ModelInputError) return refused(invalidParameter(error.message, error.sentence), row);
    throw error;
  }
}

/** Scores the posted form's row with onnxruntime-node; a refused value or call is answered in the state, never thrown. */
export async function scorePlaygroundForm(ctx: ServiceContext, form: FormData): Promise<PlaygroundFormState> {
  return (await scorePostedPlaygroundRow(ctx, form)).state;
}
