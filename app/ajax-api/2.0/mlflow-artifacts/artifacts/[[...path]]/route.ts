// The artifact proxy under the /ajax-api prefix.
export { GET, PUT, DELETE } from "@/app/api/2.0/mlflow-artifacts/artifacts/[[...path]]/route";

// Next reads route segment config statically, so it is declared here rather than re-exported.
export const dynamic = "force-dynamic";
