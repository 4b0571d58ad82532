// MLflow's rules for metric, param and tag names and values, and log-batch limits.
import { invalidParameter } from "../errors";

export const MAX_METRICS_PER_BATCH = 1000;
export const MAX_PARAMS_TAGS_PER_BATCH = 100;
export const MAX_ENTITIES_PER_BATCH = 1000;
export const MAX_KEY_LENGTH = 250;
export const MAX_PARAM_VALUE_LENGTH = 6000;
export const MAX_TAG_VALUE_LENGTH = 8000;

/**
 * As MLflow: alphanumerics, underscores, periods, dashes, spaces, slashes and colons; no path tricks.
 * Python's \w matches letters and digits of every script, so "précision" is a valid name there too.
 */
const validName = /^[/\p{L}\p{N}\p{M}_.\- :]*$/u;

export function validateKey(kind: "metric" | "param" | "tag", key: string): void {
  if (!key) throw invalidParameter(`Invalid ${kind} name: it must not be empty.`);
  if (key.length > MAX_KEY_LENGTH) {
    throw invalidParameter(`Invalid ${kind} name '${key.slice(0, 40)}…': it has ${key.length} characters, at most ${MAX_KEY_LENGTH} are allowed.`);
  }
  if (!validName.test(key)) {
    throw invalidParameter(
      `Invalid ${kind} name '${key}': names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/).`,
    );
  }
  // MLflow treats names as file paths in places, so a name must already be in normal form:
  // no leading or trailing '/', no empty, '.' or '..' segments.
  if (key.startsWith("/") || key.split("/").some((s) => s === "" || s === "." || s === "..")) {
    throw invalidParameter(
      `Invalid ${kind} name '${key}': names are used as file paths, so they must be relative and normalised (no leading or trailing '/', no '//', '.' or '..' segments).`,
    );
  }
}

export function validateMetricPoint(key: string, timestamp: number): void {
  if (timestamp < 0) {
    throw invalidParameter(`Got invalid timestamp ${timestamp} for metric '${key}': a timestamp must be non-negative milliseconds since the epoch.`);
  }
}

export function validateParamValue(key: string, value: string): void {
  if (value.length > MAX_PARAM_VALUE_LENGTH) {
    throw invalidParameter(`Param '${key}' has a value of ${value.length} characters; at most ${MAX_PARAM_VALUE_LENGTH} are allowed.`);
  }
}

export function validateTagValue(key: string, value: string): void {
  if (value.length > MAX_TAG_VALUE_LENGTH) {
    throw invalidParameter(`Tag '${key}' has a value of ${value.length} characters; at most ${MAX_TAG_VALUE_LENGTH} are allowed.`);
  }
}

export function validateBatchLimits(counts: { metrics: number; params: number; tags: number }): void {
  if (counts.metrics > MAX_METRICS_PER_BATCH) {
    throw invalidParameter(`A batch logging request can contain at most ${MAX_METRICS_PER_BATCH} metrics; got ${counts.metrics}. Split it into several requests.`);
  }
  if (counts.params > MAX_PARAMS_TAGS_PER_BATCH) {
    throw invalidParameter(`A batch logging request can contain at most ${MAX_PARAMS_TAGS_PER_BATCH} params; got ${counts.params}. Split it into several requests.`);
  }
  if (counts.tags > MAX_PARAMS_TAGS_PER_BATCH) {
    throw invalidParameter(`A batch logging request can contain at most ${MAX_PARAMS_TAGS_PER_BATCH} tags; got ${counts.tags}. Split it into several requests.`);
  }
  const total = counts.metrics + counts.params + counts.tags;
  if (total > MAX_ENTITIES_PER_BATCH) {
    throw invalidParameter(`A batch logging request can contain at most ${MAX_ENTITIES_PER_BATCH} metrics, params and tags in total; got ${total}.`);
  }
}

/** Object stores a client may write a run's artifacts to directly; the studio only lists what is in its own store. */
const REMOTE_ARTIFACT_SCHEMES = ["s3", "gs", "wasbs", "abfss"];

function decodedSegments(path: string): string[] | null {
  try {
    return path.split("/").map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
}

/**
 * An experiment's artifact_location, checked at creation as MLflow's server does (INVALID_PARAMETER_VALUE):
 * the studio's own store (`mlflow-artifacts:/<relative path>`) or an object store (`s3://bucket/prefix`).
 * Local paths (`file:///etc`, `/etc`) would let clients point runs at the server's disk, and a path that
 * climbs (`..`, also percent-encoded) would leave the artifact root; both are refused.
 */
export function validateArtifactLocation(location: string): void {
  const refuse = (why: string) =>
    invalidParameter(
      `Invalid artifact_location '${location.slice(0, 200)}': ${why}. Leave it out to use the studio's store, or give mlflow-artifacts:/<path> or ${REMOTE_ARTIFACT_SCHEMES.map((s) => `${s}://…`).join(", ")}.`,
    );
  if (/[\u0000-\u001f\u007f\\]/.test(location)) throw refuse("it contains control characters or backslashes");
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(location)?.[1]?.toLowerCase();
  if (!scheme) throw refuse("it is a local path, and runs may not write to the server's file system");
  if (scheme === "runs" || scheme === "models") throw refuse(`artifact location cannot be a ${scheme}:/ URI`);
  let path: string;
  if (scheme === "mlflow-artifacts") {
    // Same reading as artifactRootOf: an optional //host, then the path inside the studio's store.
    path = /^mlflow-artifacts:\/(?:\/[^/]*)?\/?(.*)$/i.exec(location)?.[1] ?? "";
    if (!path) throw refuse("it names no folder inside the artifact store");
  } else if (REMOTE_ARTIFACT_SCHEMES.includes(scheme)) {
    const remote = /^[^:]+:\/\/[^/?#]+(\/[^?#]*)?$/.exec(location);
    if (!remote) throw refuse(`a ${scheme}:// location names a bucket and an optional prefix, without ?query or #fragment`);
    path = (remote[1] ?? "").replace(/^\/+/, "");
  } else {
    throw refuse(`the '${scheme}:' scheme is not supported${scheme === "file" ? " (a local path on the server)" : ""}`);
  }
  if (/[?#]/.test(path)) throw refuse("it must not carry a ?query or #fragment");
  const segments = decodedSegments(path.replace(/\/+$/, ""));
  if (!segments) throw refuse("it holds a malformed percent-escape");
  if (segments.some((s) => s === "" || s === "." || s === ".." || s.includes("/") || s.includes("\\"))) {
    throw refuse("its path must be normalised (no '//', '.' or '..' segments, also percent-encoded)");
  }
}
