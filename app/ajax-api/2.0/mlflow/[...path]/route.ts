// The same MLflow REST API under the /ajax-api prefix that MLflow's own UI uses.
export { GET, POST, PATCH, DELETE } from "@/app/api/2.0/mlflow/[...path]/route";

// Next reads route segment config statically, so it is declared here rather than re-exported.
export const dynamic = "force-dynamic";
