// Prometheus scrape endpoint of the web process (server/operations/endpoints.ts): admin or STUDIO_METRICS_TOKEN only.
import { getDatabase } from "@/db/client";
import { metricsAnswer } from "@/server/operations/endpoints";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const answer = await metricsAnswer(request, async () => (await getDatabase()).db);
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
