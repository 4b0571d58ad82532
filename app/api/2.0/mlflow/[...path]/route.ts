// MLflow tracking and registry REST API.
import { handleMlflowApi } from "@/server/http/mlflow-api";

export const dynamic = "force-dynamic";

type RouteContext = { params: Promise<{ path: string[] }> };

async function handle(request: Request, context: RouteContext): Promise<Response> {
  return handleMlflowApi(request, (await context.params).path);
}

export { handle as GET, handle as POST, handle as PATCH, handle as DELETE };
