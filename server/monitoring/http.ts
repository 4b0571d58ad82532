// REST adapter of feedback: POST /api/serve/<model>/feedback.
import { authenticateRequest } from "../auth/authenticate";
import { DomainError } from "../errors";
import { errorResponse, jsonResponse, readBodyText } from "../http/mlflow-wire";
import { getServiceContext } from "../service-context";
import { recordFeedback } from "./feedback";

const MAX_FEEDBACK_BYTES = 16 * 1024 * 1024;

export async function handleFeedback(request: Request, params: Promise<{ model: string }>): Promise<Response> {
  try {
    const ctx = await getServiceContext(await authenticateRequest(request));
    const name = decodeURIComponent((await params).model);
    let body: unknown;
    try {
      body = JSON.parse(await readBodyText(request, MAX_FEEDBACK_BYTES));
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new DomainError("MALFORMED_REQUEST", 'Send a JSON body: {"feedback": [{"request_id": "…", "label": 1}]} or one such item.');
    }
    const result = await recordFeedback(ctx, { name, body });
    return jsonResponse({ accepted: result.accepted, unmatched_request_ids: result.unmatchedRequestIds });
  } catch (error) {
    return errorResponse(error);
  }
}
