// A small table-driven router for MLflow-style REST endpoints: match method + path, parse, call a service.
import type { ServiceContext } from "../service-context";
import { DomainError } from "../errors";
import { decodePathSegment } from "./request-body";

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

export interface MlflowRoute {
  methods: HttpMethod[];
  /** Path under `/api/2.0/mlflow/`, with `:name` segments for path parameters. */
  path: string;
  handle(ctx: ServiceContext, input: Record<string, unknown>, params: Record<string, string>): Promise<unknown>;
}

export interface RouteMatch {
  route: MlflowRoute;
  params: Record<string, string>;
}

export function matchRoute(routes: MlflowRoute[], method: string, path: string): RouteMatch {
  const segments = path.split("/").filter(Boolean);
  let pathMatched = false;
  for (const route of routes) {
    const pattern = route.path.split("/");
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((part, i) => {
      if (part.startsWith(":")) {
        params[part.slice(1)] = decodePathSegment(segments[i]);
        return true;
      }
      return part === segments[i];
    });
    if (!ok) continue;
    pathMatched = true;
    if (route.methods.includes(method as HttpMethod)) return { route, params };
  }
  throw new DomainError(
    "ENDPOINT_NOT_FOUND",
    pathMatched ? `Method ${method} is not allowed on '${path}'.` : `No MLflow endpoint at '${path}'.`,
  );
}
