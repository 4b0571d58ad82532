// MLflow's artifact proxy (/api/2.0/mlflow-artifacts/artifacts): upload, download, list and delete files.
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { authenticateRequest } from "../auth/authenticate";
import { invalidParameter } from "../errors";
import { errorResponse, jsonResponse } from "../http/mlflow-wire";
import { getServiceContext, type ServiceContext } from "../service-context";
import { normaliseArtifactPath } from "./store";

export const MAX_ARTIFACT_BYTES = Number(process.env.STUDIO_MAX_ARTIFACT_BYTES ?? 2 * 1024 * 1024 * 1024);

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
  try {
    const { artifacts } = await resolveContext(request);
    const path = normaliseArtifactPath((segments ?? []).map(decodeURIComponent).join("/"));
    switch (request.method) {
      case "PUT": {
        if (!path) throw invalidParameter("PUT needs a file path after /artifacts/.");
        const body = request.body
          ? Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>)
          : Readable.from([]);
        await artifacts.put(path, body, { maxBytes: MAX_ARTIFACT_BYTES });
        return jsonResponse({});
      }
      case "DELETE": {
        if (!path) throw invalidParameter("DELETE needs a path after /artifacts/.");
        await artifacts.delete(path);
        return jsonResponse({});
      }
      default: {
        if (!path) {
          const dir = normaliseArtifactPath(new URL(request.url).searchParams.get("path") ?? "");
          const entries = await artifacts.list(dir);
          return jsonResponse({
            files: entries.map((e) => ({
              path: e.path.slice(e.path.lastIndexOf("/") + 1),
              is_dir: e.isDir,
              ...(e.fileSize !== undefined ? { file_size: e.fileSize } : {}),
            })),
          });
        }
        const { stream, size } = await artifacts.get(path);
        return new Response(Readable.toWeb(stream) as unknown as ReadableStream, {
          headers: {
            "content-type": contentTypeOf(path),
            "content-length": String(size),
            "x-content-type-options": "nosniff",
            "content-disposition": `attachment; filename="${encodeURIComponent(path.slice(path.lastIndexOf("/") + 1))}"`,
          },
        });
      }
    }
  } catch (error) {
    return errorResponse(error);
  }
}
