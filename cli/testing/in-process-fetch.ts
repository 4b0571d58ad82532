// A fetch that answers from the real MLflow route handlers in-process, so the client and CLI are tested without a server.
import { handleArtifactProxy } from "@/server/artifacts/proxy";
import { handleMlflowApi } from "@/server/http/mlflow-api";
import type { ServiceContext } from "@/server/service-context";
import type { FetchFunction } from "@/lib/studio-client";

export const IN_PROCESS_BASE_URL = "http://studio.test";

const MLFLOW_PREFIX = "/api/2.0/mlflow/";
const ARTIFACTS_PREFIX = "/api/2.0/mlflow-artifacts/artifacts";

/** Routes requests as Next.js would: the MLflow API and the artifact proxy; anything else is a 404 page. */
export function inProcessFetch(ctx: ServiceContext, onRequest?: (request: Request) => void): FetchFunction {
  const resolve = async () => ctx;
  return async (input, init) => {
    const request = new Request(input, init);
    onRequest?.(request);
    const { pathname } = new URL(request.url);
    if (pathname.startsWith(MLFLOW_PREFIX)) {
      return handleMlflowApi(request, pathname.slice(MLFLOW_PREFIX.length).split("/"), resolve);
    }
    if (pathname === ARTIFACTS_PREFIX || pathname.startsWith(`${ARTIFACTS_PREFIX}/`)) {
      const rest = pathname.slice(ARTIFACTS_PREFIX.length + 1);
      return handleArtifactProxy(request, rest ? rest.split("/") : undefined, resolve);
    }
    return new Response("<html>Not found</html>", { status: 404, headers: { "content-type": "text/html" } });
  };
}
