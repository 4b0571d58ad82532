// Liveness of the web process: no auth, no details.
import { livenessAnswer } from "@/server/operations/endpoints";

export const dynamic = "force-dynamic";

export function GET(): Response {
  const answer = livenessAnswer();
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
