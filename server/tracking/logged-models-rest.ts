// MLflow 3 logged-models endpoints (used by mlflow.<flavor>.log_model).
import type { MlflowRoute } from "../http/mlflow-router";

export const loggedModelRoutes: MlflowRoute[] = [];
