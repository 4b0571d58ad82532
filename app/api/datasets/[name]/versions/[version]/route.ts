// GET one dataset version as JSON: digest, status, masking policy, PII findings, quality results, profile.
import { handleVersionGet } from "@/server/datasets/http";

export const dynamic = "force-dynamic";
type RouteContext = { params: Promise<{ name: string; version: string }> };
export function GET(request: Request, context: RouteContext): Promise<Response> {
  return handleVersionGet(request, context.params);
}
