// Readiness of the web process: 200 when the database answers, 503 with a JSON message when not. No auth, no details.
import { getDatabase } from "@/db/client";
import { readinessAnswer } from "@/server/operations/endpoints";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const answer = await readinessAnswer(async () => (await getDatabase()).db);
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
