// The runs table's view (filter, order, columns) as CSV.
import { handleRunsExport } from "@/server/tracking/runs-export-http";

export const dynamic = "force-dynamic";
export { handleRunsExport as GET };
