// The same MLflow REST API under the /ajax-api prefix that MLflow's own UI uses.
export { GET, POST, PATCH, DELETE, dynamic } from "@/app/api/2.0/mlflow/[...path]/route";
