// REST adapters for ONNX files in the registry: download a version's model, upload a new one.
import { z } from "zod";
import { authenticateRequest } from "../auth/authenticate";
import { authorize } from "../auth/permissions";
import { DomainError, describeZodError, invalidParameter, isDomainError, notFound, saidError } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import { errorResponseFor, errorResponseIn } from "../http/said-response";
import { requestLocale } from "../http/request-locale";
import { hasErrorCode } from "./model-store-path";
import { jsonResponse } from "../http/mlflow-wire";
import { getServiceContext, type ServiceContext } from "../service-context";
import { readBodyBytes } from "../http/request-body";
import { maxModelBytes, readModelVersionOnnx, registerOnnxUpload } from "./onnx-versions";

const zVersionParams = z.object({ name: z.string().min(1).max(500), version: z.string().regex(/^\d+$/, "Version numbers are whole numbers") });

/** A version route's name and number from its address (the name URL-encoded), or a 400 that says what is wrong. */
export async function readVersionParams(params: Promise<{ name: string; version: string }>): Promise<{ name: string; version: string }> {
  const raw = await params;
  const parsed = zVersionParams.safeParse({ name: decodeURIComponent(raw.name), version: raw.version });
  if (!parsed.success) throw invalidParameter(describeZodError(parsed.error));
  return parsed.data;
}

/** A sha256 hex digest, as `?digest=` carries it. */
const zDigestParam = z.string().regex(/^[0-9a-f]{64}$/, "'digest' must be the version's sha256 digest: 64 lowercase hex digits");

/**
 * GET a version's ONNX bytes. Plain, the answer is revalidated on every use (ETag = digest). With `?digest=<sha256>`
 * (the playground's URL: see modelBytesUrl) the address names the bytes themselves, so the answer is cached for good
 * and a returning visitor's browser loads the model without asking; a digest that is not the version's answers 404.
 */
export async function handleModelOnnxDownload(
  request: Request,
  params: Promise<{ name: string; version: string }>,
  contextOf: (request: Request) => Promise<ServiceContext> = async (r) => getServiceContext(await authenticateRequest(r)),
): Promise<Response> {
  try {
    const ctx = await contextOf(request);
    const version = await readVersionParams(params);
    const digestParam = new URL(request.url).searchParams.get("digest");
    let wanted: string | null = null;
    if (digestParam !== null) {
      const digest = zDigestParam.safeParse(digestParam);
      if (!digest.success) throw invalidParameter(describeZodError(digest.error));
      wanted = digest.data;
    }
    const { bytes, digest } = await readModelVersionOnnx(ctx, version.name, version.version);
    if (wanted !== null && wanted !== digest) {
      throw notFound(`Version ${version.version} of '${version.name}' does not have the bytes with digest ${wanted}; reload the page for its current model.`);
    }
    const etag = `"${digest}"`;
    // Private: the bytes are only for signed-in users, so no shared cache may keep them.
    const cacheControl = wanted !== null ? "private, max-age=31536000, immutable" : "private, no-cache";
    if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers: { etag, "cache-control": cacheControl } });
    return new Response(new Uint8Array(bytes), {
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(bytes.byteLength),
        "content-disposition": `attachment; filename="${`${version.name}-v${version.version}`.replace(/[^A-Za-z0-9._-]/g, "_")}.onnx"`,
        etag,
        "cache-control": cacheControl,
        // The playground is cross-origin isolated (COEP require-corp): its own fetches must say they may be embedded.
        "cross-origin-resource-policy": "same-origin",
      },
    });
  } catch (error) {
    return errorResponseFor(request, error);
  }
}

function tooLarge(limit: number): DomainError {
  const mebibytes = limit >= 1024 * 1024;
  return saidError(
    "REQUEST_TOO_LARGE",
    `The ONNX file is larger than the ${formatMiB(limit)} model upload limit (STUDIO_MAX_MODEL_BYTES); export a smaller model or ask an administrator to raise the limit.`,
    sentence("error.onnx.upload_too_large", { limit: mebibytes ? +(limit / 1024 / 1024).toFixed(1) : limit, unit: mebibytes ? "MiB" : "B" }),
  );
}

function formatMiB(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MiB` : `${bytes} bytes`;
}

/**
 * POST /api/models/upload?name=<model>&description=<text>, the .onnx bytes as the body → 201 { name, version }.
 * The route bypasses proxy.ts (which would cut bodies at 10 MB); a file over the limit answers 413 saying the limit.
 */
export async function handleModelOnnxUpload(request: Request): Promise<Response> {
  // A REST-only route: its refusals are said in the caller's language (server/http/said-response.ts).
  const locale = requestLocale(request);
  try {
    const actor = await authenticateRequest(request);
    authorize(actor, "models.write");
    const ctx = await getServiceContext(actor);
    const url = new URL(request.url);
    const name = url.searchParams.get("name")?.trim();
    if (!name) throw invalidParameter("Missing 'name' query parameter: the registered model to add a version to.", sentence("error.onnx.upload_no_name"));
    const limit = maxModelBytes();
    const body = await readBodyBytes(request, { limitBytes: limit }).catch((error: unknown) => {
      throw hasErrorCode(error, "REQUEST_TOO_LARGE") ? tooLarge(limit) : error;
    });
    const bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    const result = await registerOnnxUpload(ctx, { name, bytes, description: url.searchParams.get("description") ?? undefined });
    return jsonResponse(result, 201);
  } catch (error) {
    // A model over the registry's limit found after upload (e.g. a run artifact) is a size limit too: 413, not 429.
    if (isDomainError(error) && error.code === "RESOURCE_EXHAUSTED") {
      return errorResponseIn(locale, new DomainError("REQUEST_TOO_LARGE", error.message, error.details, error.sentence));
    }
    return errorResponseIn(locale, error);
  }
}
