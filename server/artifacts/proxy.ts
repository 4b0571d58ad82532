// MLflow's artifact proxy (/api/2.0/mlflow-artifacts/artifacts): upload, download, list and delete files.
import { responseBodyOf } from "../http/response-body";
import { Readable } from "node:stream";
import { decodePathSegment, requestBodyStream } from "../http/request-body";
import { authenticateRequest } from "../auth/authenticate";
import { jsonResponse } from "../http/mlflow-wire";
import { errorResponseFor } from "../http/said-response";
import { getServiceContext, type ServiceContext } from "../service-context";
import { toDomainError } from "../errors";
import { observeAnsweredRequest, requestIdFrom } from "../operations/request-log";
import { deleteArtifact, listArtifactFolder, openArtifact, uploadArtifact } from "./service";
import { normaliseArtifactPath } from "./store";

function contentTypeOf(path: string): string {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  const types: Record<string, string> = {
    json: "application/json",
    txt: "text/plain; charset=utf-8",
    log: "text/plain; charset=utf-8",
    csv: "text/csv; charset=utf-8",
    yaml: "text/plain; charset=utf-8",
    yml: "text/plain; charset=utf-8",
    md: "text/plain; charset=utf-8",
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    gif: "image/gif",
    svg: "text/plain; charset=utf-8",
  };
  return types[ext] ?? "application/octet-stream";
}

export async function handleArtifactProxy(
  request: Request,
  segments: string[] | undefined,
  resolveContext: (request: Request) => Promise<ServiceContext> = async (r) => getServiceContext(await authenticateRequest(r)),
): Promise<Response> {
  const startedAt = performance.now();
  const requestId = requestIdFrom(request.headers);
  let response: Response;
  let failure: { code: string; message: string } | undefined;
  try {
    response = await answerArtifactRequest(request, segments, resolveContext);
  } catch (error) {
    const domain = toDomainError(error);
    failure = { code: domain.code, message: domain.message };
    response = errorResponseFor(request, domain);
  }
  response.headers.set("x-request-id", requestId);
  // Downloads are counted when their headers are sent (a large file streams on afterwards).
  observeAnsweredRequest({ surface: "mlflow", route: "mlflow-artifacts/artifacts", method: request.method, status: response.status, requestId, startedAt, error: failure });
  return response;
}

async function answerArtifactRequest(
  request: Request,
  segments: string[] | undefined,
  resolveContext: (request: Request) => Promise<ServiceContext>,
): Promise<Response> {
  const ctx = await resolveContext(request);
  const path = normaliseArtifactPath((segments ?? []).map(decodePathSegment).join("/"));
  switch (request.method) {
    case "PUT": {
      const body = request.body ? requestBodyStream(request.body) : Readable.from([]);
      await uploadArtifact(ctx, path, body);
      return jsonResponse({});
    }
    case "DELETE": {
      await deleteArtifact(ctx, path);
      return jsonResponse({});
    }
    default: {
      if (!path) {
        const entries = await listArtifactFolder(ctx, new URL(request.url).searchParams.get("path") ?? "");
        return jsonResponse({
          files: entries.map((e) => ({
            path: e.path.slice(e.path.lastIndexOf("/") + 1),
            is_dir: e.isDir,
            ...(e.fileSize !== undefined ? { file_size: e.fileSize } : {}),
          })),
        });
      }
      const { stream, size } = await openArtifact(ctx, path);
      return new Response(responseBodyOf(stream), {
        headers: {
          "content-type": contentTypeOf(path),
          "content-length": String(size),
          "x-content-type-options": "nosniff",
          "content-disposition": `attachment; filename="${encodeURIComponent(path.slice(path.lastIndexOf("/") + 1))}"`,
        },
      });
    }
  }
}
