// REST adapter of a deployment's traffic: GET /api/deployments/<model>/traffic → the canary, shadow and guard rules;
// PUT with {canary?, shadow?, guards?} (null stops one) → the same, after the change. For scripts and CI.
import { authenticateRequest } from "../auth/authenticate";
import { authorize } from "../auth/permissions";
import { describeZodError, invalidParameter } from "../errors";
import { jsonResponse } from "../http/mlflow-wire";
import { errorResponseFor } from "../http/said-response";
import { readBodyText } from "../http/request-body";
import { getServiceContext, type ServiceContext } from "../service-context";
import { configureTraffic, getTrafficConfig } from "./traffic";
import { zConfigureTrafficInput, type TrafficConfig } from "./schema";

type ResolveContext = (request: Request) => Promise<ServiceContext>;

/** The REST answer keeps its shape: the English `lastGuardAction`; the catalogue code beside it is for the studio's pages. */
function restTrafficConfig(config: TrafficConfig): Omit<TrafficConfig, "lastGuardActionMessage"> {
  const answer: Partial<TrafficConfig> = { ...config };
  delete answer.lastGuardActionMessage;
  return answer as Omit<TrafficConfig, "lastGuardActionMessage">;
}
const defaultContext: ResolveContext = async (r) => getServiceContext(await authenticateRequest(r));

export async function handleGetTraffic(request: Request, name: string, resolveContext: ResolveContext = defaultContext): Promise<Response> {
  try {
    return jsonResponse(restTrafficConfig(await getTrafficConfig(await resolveContext(request), { name })));
  } catch (error) {
    return errorResponseFor(request, error);
  }
}

export async function handlePutTraffic(request: Request, name: string, resolveContext: ResolveContext = defaultContext): Promise<Response> {
  try {
    const ctx = await resolveContext(request);
    // Refused before a byte of the body is read.
    authorize(ctx.actor, "deployments.promote");
    const text = await readBodyText(request, { limitBytes: 64 * 1024, hint: "send only {canary, shadow, guards}." });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw invalidParameter('The body is not valid JSON: send {"canary": {"version": "2", "share": 0.1}, "shadow": {"version": "3"}, "guards": {…}}.');
    }
    const parsed = zConfigureTrafficInput.safeParse({ ...(typeof body === "object" && body !== null ? body : {}), name });
    if (!parsed.success) throw invalidParameter(describeZodError(parsed.error));
    return jsonResponse(restTrafficConfig(await configureTraffic(ctx, parsed.data)));
  } catch (error) {
    return errorResponseFor(request, error);
  }
}
