// Entry point of the MLflow REST API: authenticate, route, parse, call the service, answer in MLflow's shape.
import { authenticateRequest } from "../auth/authenticate";
import { toDomainError } from "../errors";
import { getServiceContext, type ServiceContext } from "../service-context";
import { trackingRoutes } from "../tracking/rest";
import { loggedModelRoutes } from "../tracking/logged-models-rest";
import { registryRoutes } from "../registry/rest";
import { observeAnsweredRequest, requestIdFrom } from "../operations/request-log";
import { errorResponse, jsonResponse, readMlflowInput } from "./mlflow-wire";
import { matchRoute, type MlflowRoute } from "./mlflow-router";

const routes: MlflowRoute[] = [...trackingRoutes, ...loggedModelRoutes, ...registryRoutes];

export type ContextResolver = (request: Request) => Promise<ServiceContext>;

const defaultContext: ContextResolver = async (request) => getServiceContext(await authenticateRequest(request));

export async function handleMlflowApi(
  request: Request,
  pathSegments: string[],
  resolveContext: ContextResolver = defaultContext,
): Promise<Response> {
  const startedAt = performance.now();
  const requestId = requestIdFrom(request.headers);
  // The metrics' route label: the matched route's template, never the raw path (unknown paths share one label).
  let routeLabel = "unmatched";
  let response: Response;
  let failure: { code: string; message: string } | undefined;
  try {
    const { route, params } = matchRoute(routes, request.method, pathSegments.join("/"));
    routeLabel = route.path;
    const ctx = await resolveContext(request);
    const input = await readMlflowInput(request);
    response = jsonResponse(await route.handle(ctx, input, params));
  } catch (error) {
    const domain = toDomainError(error);
    failure = { code: domain.code, message: domain.message };
    response = errorResponse(domain);
  }
  response.headers.set("x-request-id", requestId);
  observeAnsweredRequest({ surface: "mlflow", route: routeLabel, method: request.method, status: response.status, requestId, startedAt, error: failure });
  return response;
}
