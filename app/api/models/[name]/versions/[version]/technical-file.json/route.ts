// GET a model version's technical file as JSON (the same content as the PDF, machine-readable).
import { handleTechnicalFileDownload } from "@/server/documentation/http";

export const dynamic = "force-dynamic";
type RouteContext = { params: Promise<{ name: string; version: string }> };
export function GET(request: Request, context: RouteContext): Promise<Response> {
  return handleTechnicalFileDownload(request, context.params, "json");
}
