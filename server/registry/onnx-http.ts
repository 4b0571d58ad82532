// REST adapters for ONNX files in the registry: download a version's model, upload a new one.
import { z } from "zod";
import { authenticateRequest } from "../auth/authenticate";
import { authorize } from "../auth/permissions";
import { DomainError, describeZodError, invalidParameter } from "../errors";
import { hasErrorCode } from "./model-store-path";
import { errorResponse, jsonResponse } from "../http/mlflow-wire";
import { getServiceContext } from "../service-context";
import { maxModelBytes, readModelVersionOnnx, registerOnnxUpload } from "./onnx-versions";

const zVersionParams = z.object({ name: z.string().min(1).max(500), version: z.string().regex(/^\d+$/, "Version numbers are whole numbers") });

export async function handleModelOnnxDownload(request: Request, params: Promise<{ name: string; version: string }>): Promise<Response> {
  try {
    const ctx = await getServiceContext(await authenticateRequest(request));
    const raw = await params;
    const parsed = zVersionParams.safeParse({ name: decodeURIComponent(raw.name), version: raw.version });
    if (!parsed.success) throw invalidParameter(describeZodError(parsed.error));
    const { bytes, digest } = await readModelVersionOnnx(ctx, parsed.data.name, parsed.data.version);
    const etag = `"${digest}"`;
    if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers: { etag } });
    return new Response(new Uint8Array(bytes), {
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(bytes.byteLength),
        "content-disposition": `attachment; filename="${`${parsed.data.name}-v${parsed.data.version}`.replace(/[^A-Za-z0-9._-]/g, "_")}.onnx"`,
        etag,
        "cache-control": "private, no-cache",
        // The playground is cross-origin isolated (COEP require-corp): its own fetches must say they may be embedded.
        "cross-origin-resource-policy": "same-origin",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}

function tooLarge(limit: number): DomainError {
  return new DomainError(
    "RESOURCE_EXHAUSTED",
    `The ONNX file is larger than the ${formatMiB(limit)} model upload limit (STUDIO_MAX_MODEL_BYTES); export a smaller model or ask an administrator to raise the limit.`,
  );
}

function formatMiB(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MiB` : `${bytes} bytes`;
}

/** Reads the request body chunk by chunk, stopping (413) as soon as it passes the limit instead of buffering it whole first. */
async function readBoundedBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * POST /api/models/upload?name=<model>&description=<text>, the .onnx bytes as the body → 201 { name, version }.
 * The route bypasses proxy.ts (which would cut bodies at 10 MB); a file over the limit answers 413 saying the limit.
 */
export async function handleModelOnnxUpload(request: Request): Promise<Response> {
  try {
    const actor = await authenticateRequest(request);
    authorize(actor, "models.write");
    const ctx = await getServiceContext(actor);
    const url = new URL(request.url);
    const name = url.searchParams.get("name")?.trim();
    if (!name) throw invalidParameter("Missing 'name' query parameter: the registered model to add a version to.");
    const bytes = await readBoundedBody(request, maxModelBytes());
    const result = await registerOnnxUpload(ctx, { name, bytes, description: url.searchParams.get("description") ?? undefined });
    return jsonResponse(result, 201);
  } catch (error) {
    // MLflow's code for a size limit (RESOURCE_EXHAUSTED) maps to 429 elsewhere; for an upload it is 413. By code, as the
    // error may come from another bundle's copy of DomainError.
    if (hasErrorCode(error, "RESOURCE_EXHAUSTED")) return jsonResponse({ error_code: "RESOURCE_EXHAUSTED", message: (error as Error).message }, 413);
    return errorResponse(error);
  }
}
