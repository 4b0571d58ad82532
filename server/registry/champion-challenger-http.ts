// REST adapter of champion vs challenger: POST /api/models/compare?name=&champion=&challenger=&label= with the CSV as
// the body → 200 with the comparison (a CSV does not fit a tRPC query's URL, and the comparison writes nothing).
import { authenticateRequest } from "../auth/authenticate";
import { describeZodError, invalidParameter, zodErrorSentence } from "../errors";
import { jsonResponse } from "../http/mlflow-wire";
import { errorResponseFor } from "../http/said-response";
import { readBodyText } from "../http/request-body";
import { getServiceContext, type ServiceContext } from "../service-context";
import { compareVersionsOnCsv, zChampionChallengerRequest } from "./champion-challenger";

/** Under the 10 MB the proxy lets through (proxy.ts); larger files belong in a dataset version and a review. */
export const MAX_COMPARE_CSV_BYTES = 9 * 1024 * 1024;

export async function handleChampionChallenger(
  request: Request,
  resolveContext: (request: Request) => Promise<ServiceContext> = async (r) => getServiceContext(await authenticateRequest(r)),
): Promise<Response> {
  try {
    const ctx = await resolveContext(request);
    const params = new URL(request.url).searchParams;
    const parsed = zChampionChallengerRequest.safeParse({
      name: params.get("name") ?? "",
      champion: params.get("champion") ?? "",
      challenger: params.get("challenger") ?? "",
      labelColumn: params.get("label") ?? "",
    });
    if (!parsed.success) throw invalidParameter(describeZodError(parsed.error), zodErrorSentence(parsed.error));
    const csv = await readBodyText(request, {
      limitBytes: MAX_COMPARE_CSV_BYTES,
      hint: "compare on a sample of at most 9 MiB, or register the file as a dataset version and request a review.",
    });
    return jsonResponse(await compareVersionsOnCsv(ctx, parsed.data, csv));
  } catch (error) {
    return errorResponseFor(request, error);
  }
}
