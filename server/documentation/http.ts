// REST export of a model version's technical file: GET /api/models/{name}/versions/{version}/technical-file.pdf?lang=en|fr
// and …/technical-file.json, authenticated like the other /api routes (session cookie or token).
import { z } from "zod";
import { authenticateRequest } from "../auth/authenticate";
import { describeZodError, invalidParameter } from "../errors";
import { errorResponseFor } from "../http/said-response";
import { getServiceContext, type ServiceContext } from "../service-context";
import { buildTechnicalFile } from "./technical-file";
import { renderTechnicalFilePdf } from "./technical-file-pdf";

const zParams = z.object({
  name: z.string().min(1).max(500),
  version: z.string().regex(/^\d+$/, "Version numbers are whole numbers"),
  lang: z.enum(["en", "fr"], { message: "lang must be 'en' or 'fr'" }).default("en"),
});

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A filename safe in Content-Disposition: `credit-rf-v3-technical-file.pdf`. */
function fileName(name: string, version: string, extension: string): string {
  return `${`${name}-v${version}-technical-file`.replace(/[^A-Za-z0-9._-]/g, "_")}.${extension}`;
}

/** The request's signed-in context (session cookie or token); tests hand in their own. */
async function contextOf(request: Request): Promise<ServiceContext> {
  return getServiceContext(await authenticateRequest(request));
}

export async function handleTechnicalFileDownload(
  request: Request,
  params: Promise<{ name: string; version: string }>,
  kind: "pdf" | "json",
  resolveContext: (request: Request) => Promise<ServiceContext> = contextOf,
): Promise<Response> {
  try {
    const ctx = await resolveContext(request);
    const raw = await params;
    const lang = new URL(request.url).searchParams.get("lang") ?? undefined;
    const parsed = zParams.safeParse({ name: decodeSegment(raw.name), version: raw.version, lang });
    if (!parsed.success) throw invalidParameter(describeZodError(parsed.error));
    const file = await buildTechnicalFile(ctx, parsed.data);
    const headers = {
      "content-disposition": `attachment; filename="${fileName(file.model.name, file.model.version, kind)}"`,
      // A technical file reflects approvals and edits as of now: never serve a stale copy from a cache.
      "cache-control": "no-store",
    };
    if (kind === "json") {
      // What the reader may do on the page is no part of the filed document.
      const document: Partial<typeof file> = { ...file, monitoring: { ...file.monitoring } };
      delete document.permissions;
      // The reasons' codes serve the PDF's language; the filed JSON keeps its English reasons only, as before.
      delete document.monitoring!.flagReasonMessages;
      return new Response(JSON.stringify(document, null, 2), { headers: { ...headers, "content-type": "application/json; charset=utf-8" } });
    }
    const pdf = await renderTechnicalFilePdf(file, { locale: parsed.data.lang });
    return new Response(new Uint8Array(pdf), { headers: { ...headers, "content-type": "application/pdf", "content-length": String(pdf.byteLength), "content-language": parsed.data.lang } });
  } catch (error) {
    return errorResponseFor(request, error);
  }
}
