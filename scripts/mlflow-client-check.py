"""Manual check that the stock MLflow 3 Python client works unchanged against ModelOps Studio.

Documentation and a hand-run check, NOT run by CI (CI has no PyPI access, so no `mlflow` package).
Its request-by-request twin, run on every `npm test`, is server/tracking/mlflow-client-replay.test.ts.

Usage, with the studio running (`npm run dev` or `npm start`):
    pip install "mlflow>=3" scikit-learn pandas
    MLFLOW_TRACKING_URI=http://localhost:3000 python scripts/mlflow-client-check.py
With accounts on (the default), also set MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD or
MLFLOW_TRACKING_TOKEN. Each run uses a fresh experiment name, so the script can be re-run.
Exits non-zero on the first failed assertion.
"""

import os
import tempfile
import time

import mlflow
import numpy as np
import pandas as pd
from mlflow.entities import Metric, Param, RunTag
from sklearn.linear_model import LogisticRegression


def main() -> None:
    assert os.environ.get("MLFLOW_TRACKING_URI"), "set MLFLOW_TRACKING_URI=http://localhost:3000"
    experiment_name = f"replay-{int(time.time())}"

    # A tiny, deterministic training set and model.
    df = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0], "y": [0, 0, 1, 1]})
    clf = LogisticRegression().fit(df[["x"]], df["y"])

    experiment = mlflow.set_experiment(experiment_name)  # get-by-name -> 404 -> experiments/create
    with mlflow.start_run(run_name="r") as run:  # runs/create
        mlflow.log_param("lr", 0.01)
        mlflow.log_params({"depth": 3})
        for s in range(5):
            mlflow.log_metric("loss", 1 / (s + 1), step=s)
        mlflow.set_tag("team", "a")
        mlflow.log_dict({"a": 1}, "cfg/params.json")  # artifact proxy PUT
        mlflow.log_input(mlflow.data.from_pandas(df, name="train"), context="training")  # runs/log-inputs
        # logged-models create, runs/outputs, artifact PUTs, finalize (PATCH), runs/log-model
        model_info = mlflow.sklearn.log_model(clf, name="model", input_example=df[["x"]].head(2))

    run_id = run.info.run_id
    client = mlflow.MlflowClient()
    now = int(time.time() * 1000)
    client.log_batch(
        run_id,
        metrics=[Metric("acc", 0.9, now, 0)],
        params=[Param("seed", "7")],
        tags=[RunTag("stage", "final")],
    )

    # The run as the client reads it back.
    fetched = client.get_run(run_id)
    assert fetched.info.status == "FINISHED", fetched.info.status
    assert fetched.info.run_name == "r"
    assert fetched.data.params == {"lr": "0.01", "depth": "3", "seed": "7"}, fetched.data.params
    assert fetched.data.metrics["loss"] == 0.2 and fetched.data.metrics["acc"] == 0.9, fetched.data.metrics
    assert fetched.data.tags["team"] == "a" and fetched.data.tags["stage"] == "final"
    assert [d.dataset.name for d in fetched.inputs.dataset_inputs] == ["train"]

    # Search with MLflow's filter grammar and order_by.
    found = mlflow.search_runs(
        experiment_ids=[experiment.experiment_id],
        filter_string="metrics.loss < 0.5 and params.lr = '0.01'",
        order_by=["metrics.loss ASC"],
    )
    assert list(found["run_id"]) == [run_id], found

    # Full metric history, in step order.
    history = client.get_metric_history(run_id, "loss")
    assert [(m.step, m.value) for m in history] == [(s, 1 / (s + 1)) for s in range(5)], history

    # Artifacts: list and download through the proxy.
    listed = client.list_artifacts(run_id, "cfg")
    assert [(f.path, f.is_dir) for f in listed] == [("cfg/params.json", False)], listed
    with tempfile.TemporaryDirectory() as tmp:
        local = client.download_artifacts(run_id, "cfg", tmp)
        with open(os.path.join(local, "params.json")) as f:
            assert f.read().replace(" ", "").replace("\n", "") == '{"a":1}'

    # The logged model (MLflow 3): READY, found by search, loadable from its models:/ URI.
    logged = mlflow.get_logged_model(model_info.model_id)
    assert str(logged.status) == "READY", logged.status
    assert logged.source_run_id == run_id and logged.name == "model"
    assert logged.params.get("lr") == "0.01", logged.params
    models = mlflow.search_logged_models(experiment_ids=[experiment.experiment_id], output_format="list")
    assert [m.model_id for m in models] == [model_info.model_id], models
    loaded = mlflow.sklearn.load_model(f"models:/{model_info.model_id}")
    assert list(loaded.predict(df[["x"]])) == list(clf.predict(df[["x"]]))
    pyfunc = mlflow.pyfunc.load_model(model_info.model_uri)
    assert np.array_equal(np.asarray(pyfunc.predict(df[["x"]])), clf.predict(df[["x"]]))

    print(f"OK: experiment {experiment.experiment_id}, run {run_id}, logged model {model_info.model_id}")


if __name__ == "__main__":
    main()
