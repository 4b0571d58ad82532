// GET a model version's technical file as a PDF (?lang=en|fr), for a committee to file.
import { handleTechnicalFileDownload } from "@/server/documentation/http";

export const dynamic = "force-dynamic";
type RouteContext = { params: Promise<{ name: string; version: string }> };
export function GET(request: Request, context: RouteContext): Promise<Response> {
  return handleTechnicalFileDownload(request, context.params, "pdf");
}
