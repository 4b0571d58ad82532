// GET a dataset version's stored (masked) file.
import { handleVersionDownload } from "@/server/datasets/http";

export const dynamic = "force-dynamic";
type RouteContext = { params: Promise<{ name: string; version: string }> };
export function GET(request: Request, context: RouteContext): Promise<Response> {
  return handleVersionDownload(request, context.params);
}
