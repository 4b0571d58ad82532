// POST a labelled CSV (the body) with ?name=&champion=&challenger=&label=: both versions scored and compared.
import { handleChampionChallenger } from "@/server/registry/champion-challenger-http";

export const dynamic = "force-dynamic";
export async function POST(request: Request): Promise<Response> {
  return handleChampionChallenger(request);
}
