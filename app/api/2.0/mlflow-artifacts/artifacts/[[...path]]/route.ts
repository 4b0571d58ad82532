// MLflow artifact proxy: PUT uploads, GET downloads a file or lists a folder (?path=), DELETE removes.
import { handleArtifactProxy } from "@/server/artifacts/proxy";

export const dynamic = "force-dynamic";

type RouteContext = { params: Promise<{ path?: string[] }> };

async function handle(request: Request, context: RouteContext): Promise<Response> {
  return handleArtifactProxy(request, (await context.params).path);
}

export { handle as GET, handle as PUT, handle as DELETE };
