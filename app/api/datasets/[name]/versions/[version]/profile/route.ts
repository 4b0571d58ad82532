// GET a dataset version's profile as JSON (409 while it is still being profiled).
import { handleVersionProfile } from "@/server/datasets/http";

export const dynamic = "force-dynamic";
type RouteContext = { params: Promise<{ name: string; version: string }> };
export function GET(request: Request, context: RouteContext): Promise<Response> {
  return handleVersionProfile(request, context.params);
}
