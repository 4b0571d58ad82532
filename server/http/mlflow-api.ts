// Entry point of the MLflow REST API: authenticate, route, parse, call the service, answer in MLflow's shape.
import { authenticateRequest } from "../auth/authenticate";
import { getServiceContext, type ServiceContext } from "../service-context";
import { trackingRoutes } from "../tracking/rest";
import { loggedModelRoutes } from "../tracking/logged-models-rest";
import { registryRoutes } from "../registry/rest";
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
  try {
    const { route, params } = matchRoute(routes, request.method, pathSegments.join("/"));
    const ctx = await resolveContext(request);
    const input = await readMlflowInput(request);
    return jsonResponse(await route.handle(ctx, input, params));
  } catch (error) {
    return errorResponse(error);
  }
}
