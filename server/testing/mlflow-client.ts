// Calls the real MLflow route handlers in-process, as an HTTP client would, for conformance tests.
import { handleMlflowApi } from "../http/mlflow-api";
import { handleArtifactProxy } from "../artifacts/proxy";
import type { ServiceContext } from "../service-context";

export interface WireResponse {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

export function mlflowWire(ctx: ServiceContext) {
  const resolve = async () => ctx;
  async function call(method: string, endpoint: string, payload?: unknown, rawBody?: string | Uint8Array): Promise<WireResponse> {
    const url = new URL(`http://studio.test/api/2.0/mlflow/${endpoint}`);
    let body: string | Uint8Array | undefined = rawBody;
    if (method === "GET" && payload && typeof payload === "object") {
      for (const [k, v] of Object.entries(payload as Record<string, unknown>)) {
        for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
      }
    } else if (payload !== undefined) {
      body = JSON.stringify(payload);
    }
    const request = new Request(url, { method, body: body as BodyInit | undefined, headers: { "content-type": "application/json" } });
    const response = await handleMlflowApi(request, endpoint.split("?")[0].split("/"), resolve);
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, text };
  }
  async function artifacts(method: string, artifactPath: string, body?: string | Uint8Array, query = ""): Promise<Response> {
    const url = `http://studio.test/api/2.0/mlflow-artifacts/artifacts/${artifactPath}${query}`;
    const request = new Request(url, { method, body: body as BodyInit | undefined });
    return handleArtifactProxy(request, artifactPath ? artifactPath.split("/") : undefined, resolve);
  }
  return {
    call,
    get: (endpoint: string, query?: Record<string, unknown>) => call("GET", endpoint, query),
    post: (endpoint: string, payload?: unknown) => call("POST", endpoint, payload ?? {}),
    artifacts,
  };
}
