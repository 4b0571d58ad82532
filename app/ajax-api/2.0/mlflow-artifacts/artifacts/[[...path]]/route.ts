// The artifact proxy under the /ajax-api prefix.
export { GET, PUT, DELETE, dynamic } from "@/app/api/2.0/mlflow-artifacts/artifacts/[[...path]]/route";
