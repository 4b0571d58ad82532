// Sends a dataset file to POST /api/datasets/upload with XMLHttpRequest, for upload progress and cancel that fetch() cannot give.
import type { PiiDecisionNeeded } from "@/lib/masking";
import type { RegisteredVersion, zRegisterVersionMeta } from "@/server/datasets/schema";
import type { z } from "zod";

export type UploadMeta = z.input<typeof zRegisterVersionMeta>;

export type UploadOutcome =
  | { kind: "registered"; registered: RegisteredVersion }
  | { kind: "error"; status: number; message: string; /** A 422 for personal data without a decision: the columns to decide. */ piiDecisions?: PiiDecisionNeeded[] }
  | { kind: "cancelled" };

export interface UploadHandle {
  outcome: Promise<UploadOutcome>;
  cancel: () => void;
}

export function uploadUrl(meta: UploadMeta): string {
  return `/api/datasets/upload?meta=${encodeURIComponent(JSON.stringify(meta))}`;
}

/** Reads the server's answer: RegisteredVersion JSON on 200/201, MLflow-style `{ error_code, message }` otherwise. */
export function readUploadResponse(status: number, body: string): UploadOutcome {
  let parsed: unknown = null;
  try {
    parsed = body ? JSON.parse(body) : null;
  } catch {
    parsed = null;
  }
  if ((status === 200 || status === 201) && parsed && typeof parsed === "object" && "version" in parsed) {
    return { kind: "registered", registered: parsed as RegisteredVersion };
  }
  if (parsed && typeof parsed === "object" && "message" in parsed && typeof parsed.message === "string" && parsed.message) {
    const body = parsed as { message: string; reason?: unknown; columns?: unknown };
    if (status === 422 && body.reason === "pii_decision_required" && Array.isArray(body.columns)) {
      const piiDecisions = body.columns.filter(
        (c): c is PiiDecisionNeeded => Boolean(c) && typeof c.column === "string" && Array.isArray(c.detected) && Array.isArray(c.choices),
      );
      return { kind: "error", status, message: body.message, piiDecisions };
    }
    return { kind: "error", status, message: body.message };
  }
  if (status === 401) return { kind: "error", status, message: "Your session has ended. Sign in again, then register the file again." };
  if (status === 403) return { kind: "error", status, message: "Your role may not register datasets. Ask an admin for the editor role." };
  if (status === 413) return { kind: "error", status, message: "The file is larger than the server accepts. Split it, or register it by API." };
  return {
    kind: "error",
    status,
    message: `The server answered ${status || "nothing"} without an explanation. Nothing was registered; try again, and tell an admin if it keeps failing.`,
  };
}

/** Starts the upload at once; `onProgress` gets bytes sent and total; `cancel` aborts, and the server then stores nothing. */
export function uploadDatasetFile(file: Blob, meta: UploadMeta, onProgress: (loaded: number, total: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const outcome = new Promise<UploadOutcome>((resolve) => {
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => resolve(readUploadResponse(xhr.status, xhr.responseText));
    xhr.onabort = () => resolve({ kind: "cancelled" });
    xhr.onerror = () =>
      resolve({
        kind: "error",
        status: 0,
        message: "The connection to the studio was lost during the upload. Nothing was stored; check the connection and register again.",
      });
  });
  xhr.open("POST", uploadUrl(meta));
  xhr.setRequestHeader("Content-Type", "application/octet-stream");
  xhr.send(file);
  return { outcome, cancel: () => xhr.abort() };
}
