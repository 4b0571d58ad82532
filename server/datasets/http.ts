// REST adapters of the dataset registry: streamed upload, version JSON, profile JSON and file download.
import { responseBodyOf } from "../http/response-body";
import { z } from "zod";
import { authenticateRequest } from "../auth/authenticate";
import { DomainError, describeZodError, invalidParameter, zodErrorSentence } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import { jsonResponse } from "../http/mlflow-wire";
import { errorResponseFor } from "../http/said-response";
import { getServiceContext, type ServiceContext } from "../service-context";
import { getDatasetRoot } from "./dataset-store";
import { datasetFilesAt } from "./dataset-files";
import { registerDatasetVersion } from "./register-version";
import { requestBodyStream } from "../http/request-body";
import { findVersion, getDatasetVersion, listDatasets } from "./registry";
import { zDatasetName, zRegisterVersionMeta } from "./schema";
import { authorize } from "../auth/permissions";

/** Where a request's service context and the dataset files come from; tests hand in their own database and folder. */
export interface DatasetHttpOptions {
  context?: (request: Request) => Promise<ServiceContext>;
  root?: string;
}

const contextOfRequest = async (request: Request): Promise<ServiceContext> => getServiceContext(await authenticateRequest(request));

function parseJsonParam(value: string | null, what: string): unknown {
  if (value === null) {
    throw invalidParameter(`Missing '${what}' query parameter: send the dataset's name, format and masking policy as JSON.`, sentence("error.datasets.meta_missing", { what }));
  }
  try {
    return JSON.parse(value);
  } catch {
    throw invalidParameter(`'${what}' is not valid JSON.`, sentence("error.datasets.meta_not_json", { what }));
  }
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidParameter(describeZodError(parsed.error), zodErrorSentence(parsed.error));
  return parsed.data;
}

/**
 * POST /api/datasets/upload?meta=<json>: the request body is the file itself, streamed through the
 * masker to disk. 201 with the new version, 200 when these bytes already are a version.
 */
export async function handleDatasetUpload(request: Request, options: DatasetHttpOptions = {}): Promise<Response> {
  try {
    const ctx = await (options.context ?? contextOfRequest)(request);
    authorize(ctx.actor, "datasets.write");
    const meta = parseWith(zRegisterVersionMeta, parseJsonParam(new URL(request.url).searchParams.get("meta"), "meta"));
    const { created, datasetCreated, version } = await registerDatasetVersion(ctx, options.root ?? getDatasetRoot(), meta, requestBodyStream(request.body));
    return jsonResponse({ created, datasetCreated, version }, created ? 201 : 200);
  } catch (error) {
    return errorResponseFor(request, error);
  }
}

const zVersionParams = z.object({ name: zDatasetName, version: z.coerce.number().int().positive("Version numbers start at 1") });

async function versionParams(params: Promise<{ name: string; version: string }>) {
  const raw = await params;
  return parseWith(zVersionParams, { name: decodeURIComponent(raw.name), version: raw.version });
}

export async function handleDatasetList(request: Request): Promise<Response> {
  try {
    const ctx = await getServiceContext(await authenticateRequest(request));
    return jsonResponse({ datasets: await listDatasets(ctx, { search: new URL(request.url).searchParams.get("q") ?? undefined }) });
  } catch (error) {
    return errorResponseFor(request, error);
  }
}

export async function handleVersionGet(request: Request, params: Promise<{ name: string; version: string }>): Promise<Response> {
  try {
    const ctx = await getServiceContext(await authenticateRequest(request));
    const { name, version } = await versionParams(params);
    return jsonResponse(await getDatasetVersion(ctx, name, version));
  } catch (error) {
    return errorResponseFor(request, error);
  }
}

/** The profile as JSON; 409 while the version is still being profiled. */
export async function handleVersionProfile(request: Request, params: Promise<{ name: string; version: string }>): Promise<Response> {
  try {
    const ctx = await getServiceContext(await authenticateRequest(request));
    const { name, version } = await versionParams(params);
    const detail = await getDatasetVersion(ctx, name, version);
    if (detail.profileStatus === "failed") throw new DomainError("INVALID_STATE", `Profiling failed: ${detail.profileError ?? "see the version page"}.`);
    if (!detail.profile) {
      return jsonResponse(
        { error_code: "INVALID_STATE", message: `Version ${version} is still being profiled (${Math.round(detail.profileProgress * 100)}%): try again in a moment.` },
        409,
      );
    }
    return jsonResponse({ dataset: name, version, digest: detail.digest, profile: detail.profile });
  } catch (error) {
    return errorResponseFor(request, error);
  }
}

export async function handleVersionDownload(
  request: Request,
  params: Promise<{ name: string; version: string }>,
  options: DatasetHttpOptions = {},
): Promise<Response> {
  try {
    const ctx = await (options.context ?? contextOfRequest)(request);
    authorize(ctx.actor, "studio.read");
    const { name, version } = await versionParams(params);
    const { row } = await findVersion(ctx.db, name, version);
    const { stream, size } = await datasetFilesAt(options.root ?? getDatasetRoot()).open(row.storagePath);
    const filename = `${name}-v${version}.${row.format}`;
    return new Response(responseBodyOf(stream), {
      headers: {
        "content-type": row.format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.apache.parquet",
        "content-length": String(size),
        "content-disposition": `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
        "x-studio-digest": row.digest,
        // Dataset rows are personal data even masked (hashes still single people out), and the scan that finds
        // it only samples the file: no copy is kept in any cache, the browser's included.
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return errorResponseFor(request, error);
  }
}
