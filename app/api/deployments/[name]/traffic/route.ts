// GET / PUT a production deployment's canary, shadow and guard rules (server/deployments/http.ts).
import { handleGetTraffic, handlePutTraffic } from "@/server/deployments/http";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ name: string }> };
export async function GET(request: Request, { params }: Params): Promise<Response> {
  return handleGetTraffic(request, decodeURIComponent((await params).name));
}
export async function PUT(request: Request, { params }: Params): Promise<Response> {
  return handlePutTraffic(request, decodeURIComponent((await params).name));
}
