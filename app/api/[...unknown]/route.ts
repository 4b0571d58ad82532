// Any /api/ path no route serves: a JSON 404 that names the path, for clients that read JSON (never the HTML page).
import { DomainError } from "@/server/errors";
import { errorResponse } from "@/server/http/mlflow-wire";

export const dynamic = "force-dynamic";

function endpointNotFound(request: Request): Response {
  const { pathname } = new URL(request.url);
  return errorResponse(new DomainError("ENDPOINT_NOT_FOUND", `No API endpoint at ${request.method} ${pathname}. See the README for the studio's APIs.`));
}

export { endpointNotFound as GET, endpointNotFound as POST, endpointNotFound as PUT, endpointNotFound as PATCH, endpointNotFound as DELETE };
