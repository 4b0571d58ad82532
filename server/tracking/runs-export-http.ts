// GET /api/runs/export: the runs table's current view as a CSV download (any signed-in user or token).
import { authenticateRequest } from "../auth/authenticate";
import { errorResponseFor } from "../http/said-response";
import { getServiceContext } from "../service-context";
import { exportRunsCsv } from "./runs-export";

export async function handleRunsExport(request: Request): Promise<Response> {
  try {
    const actor = await authenticateRequest(request);
    const ctx = await getServiceContext(actor);
    const { csv, rows, truncated } = await exportRunsCsv(ctx, Object.fromEntries(new URL(request.url).searchParams));
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="runs-${new Date().toISOString().slice(0, 10)}.csv"`,
        "cache-control": "no-store",
        "x-studio-rows": String(rows),
        ...(truncated ? { "x-studio-truncated": "true" } : {}),
      },
    });
  } catch (error) {
    return errorResponseFor(request, error);
  }
}
