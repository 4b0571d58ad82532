// The "log your first run" snippet the empty experiment and runs pages show: shell lines a user pastes as they are.

/** A POSIX shell single-quoted word: nothing inside is expanded; a quote is closed, escaped and reopened. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * `origin` is the address this studio was reached at (the browser's), so the snippet works behind any port or
 * proxy. The experiment name goes through JSON, whose string escapes Python reads alike, then shell quoting.
 */
export function mlflowQuickstartSnippet(origin: string, experimentName: string): string {
  const python = `import mlflow; mlflow.set_experiment(${JSON.stringify(experimentName)}); mlflow.start_run(); mlflow.log_metric("accuracy", 0.9)`;
  return [`export MLFLOW_TRACKING_URI=${shellQuote(origin)}`, "export MLFLOW_TRACKING_TOKEN=<a token from API tokens>", `python -c ${shellQuote(python)}`].join("\n");
}
