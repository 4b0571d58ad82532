// Entry point of the MLflow REST API: authenticate, route, parse, call the service, answer in MLflow's shape.
import { authenticateRequest } from "../auth/authenticate";
import { toDomainError } from "../errors";
import { getServiceContext, type ServiceContext } from "../service-context";
import { trackingRoutes } from "../tracking/rest";
import { loggedModelRoutes } from "../tracking/logged-models-rest";
import { registryRoutes } from "../registry/rest";
import { observeAnsweredRequest, requestIdFrom } from "../operations/request-log";
import { asBodyInit, mlflowJsonBody, readMlflowInput, type MlflowRequest } from "./mlflow-wire";
import { requestLocale } from "./request-locale";
import { saidMessage } from "./said-response";
import { matchRoute, type MlflowRoute } from "./mlflow-router";

const routes: MlflowRoute[] = [...trackingRoutes, ...loggedModelRoutes, ...registryRoutes];

/*
 * Sent uncompressed, as MLflow's own server sends them. Next.js gzips any JSON answer whose client accepts it, and
 * every MLflow client does (python requests, node fetch). On the 2-core bench machine under load, a 25,000-point history
 * page (2 MB) took 55 ms to gzip and 40 ms to gunzip, against 16 ms to move 2 MB over 1 Gbit/s; the same server
 * answered a page in 65 ms p50 uncompressed and 108 ms gzipped, a runs/search in 16 and 28 ms. `no-transform` is how a response opts out of that compression (and of
 * any proxy's); `no-store` because an answer to a credentialed call is nobody's to keep.
 */
const MLFLOW_CACHE_CONTROL = "no-store, no-transform";

export type ContextResolver = (request: MlflowRequest) => Promise<ServiceContext>;

const defaultContext: ContextResolver = async (request) => getServiceContext(await authenticateRequest(request));

/** An answer as plain data: what the direct endpoints write to the socket as is, and what handleMlflowApi wraps in a Response. */
export interface MlflowAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** `body`: the request body's bytes when the caller has read them already (the direct endpoints do); else it is read from `request`. */
export async function handleMlflowApi(
  request: Request,
  pathSegments: string[],
  resolveContext: ContextResolver = defaultContext,
  body?: Buffer,
): Promise<Response> {
  const answer = await answerMlflowApi(request, pathSegments, resolveContext, body);
  return new Response(asBodyInit(answer.body), { status: answer.status, headers: answer.headers });
}

/**
 * handleMlflowApi without the fetch Response: the direct endpoints write the body (a kept history page's bytes, 2 MB)
 * straight to the socket, where a Response was encoded, streamed and copied back out per answer. A request that is
 * not a fetch Request must come with its body's bytes (GET and HEAD have none).
 */
export async function answerMlflowApi(
  request: MlflowRequest,
  pathSegments: string[],
  resolveContext: ContextResolver = defaultContext,
  body?: Buffer,
): Promise<MlflowAnswer> {
  const startedAt = performance.now();
  const requestId = requestIdFrom(request.headers);
  // The metrics' route label: the matched route's template, never the raw path (unknown paths share one label).
  let routeLabel = "unmatched";
  let status = 200;
  let answerBody: string | Buffer;
  let failure: { code: string; message: string } | undefined;
  let language: string | undefined;
  try {
    const { route, params } = matchRoute(routes, request.method, pathSegments.join("/"));
    routeLabel = route.path;
    const ctx = await resolveContext(request);
    const input = await readMlflowInput(request, body);
    answerBody = mlflowJsonBody(await route.handle(ctx, input, params));
  } catch (error) {
    const domain = toDomainError(error);
    failure = { code: domain.code, message: domain.message };
    status = domain.httpStatus;
    // MLflow's error shape, its message in the caller's language when asked (cookie or Accept-Language); clients that
    // ask for none (the MLflow client, curl) read the English message as before. The log keeps the English.
    const said = saidMessage(requestLocale(request), domain);
    language = said.language;
    answerBody = mlflowJsonBody({ error_code: domain.code, message: said.message, ...domain.details });
  }
  observeAnsweredRequest({ surface: "mlflow", route: routeLabel, method: request.method, status, requestId, startedAt, error: failure });
  return {
    status,
    headers: { "content-type": "application/json", "x-request-id": requestId, "cache-control": MLFLOW_CACHE_CONTROL, ...(language ? { "content-language": language } : {}) },
    body: answerBody,
  };
}
