// REST adapters for ONNX files in the registry: download a version's model, upload a new one.
import { z } from "zod";
import { authenticateRequest } from "../auth/authenticate";
import { authorize } from "../auth/permissions";
import { DomainError, describeZodError, invalidParameter } from "../errors";
import { errorResponse, jsonResponse } from "../http/mlflow-wire";
import { getServiceContext } from "../service-context";
import { readBodyBytes } from "../http/request-body";
import { MAX_ONNX_BYTES, readModelVersionOnnx, registerOnnxUpload } from "./onnx-versions";

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

/** POST /api/models/upload?name=<model>&description=<text>, the .onnx bytes as the body → 201 { name, version }. */
export async function handleModelOnnxUpload(request: Request): Promise<Response> {
  try {
    const actor = await authenticateRequest(request);
    authorize(actor, "models.write");
    const ctx = await getServiceContext(actor);
    const url = new URL(request.url);
    const name = url.searchParams.get("name")?.trim();
    if (!name) throw invalidParameter("Missing 'name' query parameter: the registered model to add a version to.");
    const declared = Number(request.headers.get("content-length") ?? "0");
    if (declared > MAX_ONNX_BYTES) throw new DomainError("RESOURCE_EXHAUSTED", `The ONNX file is larger than ${MAX_ONNX_BYTES} bytes.`);
    const bytes = new Uint8Array(await readBodyBytes(request, { limitBytes: MAX_ONNX_BYTES, hint: "the registry reads ONNX files up to that size." }));
    if (bytes.byteLength > MAX_ONNX_BYTES) throw new DomainError("RESOURCE_EXHAUSTED", `The ONNX file is larger than ${MAX_ONNX_BYTES} bytes.`);
    const result = await registerOnnxUpload(ctx, { name, bytes, description: url.searchParams.get("description") ?? undefined });
    return jsonResponse(result, 201);
  } catch (error) {
    return errorResponse(error);
  }
}
