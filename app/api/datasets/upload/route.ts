// POST a dataset file (the request body) with ?meta=<json>: streamed through the PII masker into a new version.
import { handleDatasetUpload } from "@/server/datasets/http";

export const dynamic = "force-dynamic";
export function POST(request: Request): Promise<Response> {
  return handleDatasetUpload(request);
}
