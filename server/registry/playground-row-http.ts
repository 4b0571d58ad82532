// REST adapter of the playground's early answer: POST /api/models/<name>/versions/<version>/playground-row with the
// form's fields (application/x-www-form-urlencoded, as the page's form names them) → 200 { row, prediction, shown }.
// The page's early-answer script (components/playground/early-predict-script.ts) sends it when Predict is pressed
// before React has hydrated the page, so the answer does not wait for the app's scripts; the caller checks are the
// form's server action's (signed in, same origin, not a labeller only), the row is read and scored by the same code.
import { describePrediction, readPredictions } from "@/components/playground/prediction-format";
import { authenticateRequest } from "../auth/authenticate";
import { DomainError } from "../errors";
import { jsonResponse } from "../http/mlflow-wire";
import { errorResponseFor } from "../http/said-response";
import { readBodyText } from "../http/request-body";
import { getServiceContext, type ServiceContext } from "../service-context";
import { readVersionParams } from "./onnx-http";
import { scorePostedPlaygroundRow } from "./playground-form";

/** A form of a few hundred fields is a few KB; an image model's row typed into fields would not be sent this way. */
export const MAX_PLAYGROUND_ROW_FORM_BYTES = 1024 * 1024;

export async function handlePlaygroundRow(
  request: Request,
  params: Promise<{ name: string; version: string }>,
  contextOf: (request: Request) => Promise<ServiceContext> = async (r) => getServiceContext(await authenticateRequest(r)),
): Promise<Response> {
  try {
    const ctx = await contextOf(request);
    const version = await readVersionParams(params);
    const text = await readBodyText(request, { limitBytes: MAX_PLAYGROUND_ROW_FORM_BYTES, hint: "send the playground form's fields only." });
    const form = new FormData();
    for (const [key, value] of new URLSearchParams(text)) form.append(key, value);
    // The address names the version; the form's own hidden fields are not trusted over it.
    form.set("model", version.name);
    form.set("modelVersion", version.version);
    const { state, refusal } = await scorePostedPlaygroundRow(ctx, form);
    if (refusal) throw refusal;
    if (!state.prediction) {
      const messages = Object.values(state.fieldErrors);
      throw new DomainError("INVALID_PARAMETER_VALUE", `Fix these values and press Predict again: ${messages.join(" ")}`, { field_errors: state.fieldErrors });
    }
    const prediction = readPredictions(state.prediction.outputs)[0];
    if (!prediction) throw new DomainError("INVALID_STATE", "The model answered no prediction for the row: check its outputs on the version page.");
    return jsonResponse({ row: state.row, prediction: state.prediction, shown: describePrediction(prediction) }, 200, { "cache-control": "no-store" });
  } catch (error) {
    return errorResponseFor(request, error);
  }
}
