// POST one playground row as its form's fields → its prediction by onnxruntime-node (the early answer before hydration).
import { handlePlaygroundRow } from "@/server/registry/playground-row-http";

export const dynamic = "force-dynamic";
type RouteContext = { params: Promise<{ name: string; version: string }> };
export function POST(request: Request, context: RouteContext): Promise<Response> {
  return handlePlaygroundRow(request, context.params);
}
