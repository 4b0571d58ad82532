// Where the browser downloads a run's artifact: the artifact proxy, under the run's root.

/**
 * The proxy-relative root of a run's artifacts: `mlflow-artifacts:/1/abc/artifacts` (or with a host,
 * `mlflow-artifacts://host/1/abc/artifacts`) → `1/abc/artifacts`. Null when the run stores its
 * artifacts elsewhere (a plain path or another scheme), which the proxy cannot serve.
 */
export function artifactProxyRoot(artifactUri: string): string | null {
  const match = /^mlflow-artifacts:\/(?:\/[^/]*)?\/?(.*)$/.exec(artifactUri);
  return match ? match[1].replace(/\/+$/, "") : null;
}

export function artifactDownloadHref(root: string, relativePath: string): string {
  const segments = [...root.split("/"), ...relativePath.split("/")].filter(Boolean);
  return `/api/2.0/mlflow-artifacts/artifacts/${segments.map(encodeURIComponent).join("/")}`;
}
