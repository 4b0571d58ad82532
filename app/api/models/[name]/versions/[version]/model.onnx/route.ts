// GET a model version's ONNX file (the playground loads it; "Download ONNX" saves it).
import { handleModelOnnxDownload } from "@/server/registry/onnx-http";

export const dynamic = "force-dynamic";
type RouteContext = { params: Promise<{ name: string; version: string }> };
export function GET(request: Request, context: RouteContext): Promise<Response> {
  return handleModelOnnxDownload(request, context.params);
}
