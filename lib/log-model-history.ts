// The run tag where MLflow 2.x clients record each log_model call (a JSON list of MLmodel documents); shared by server and pages.
export const LOG_MODEL_HISTORY_TAG = "mlflow.log-model.history";
