// Which requests the proxy sees, and that the serving protocol's JSON endpoints are never sent to the sign-in page.
import "./server/testing/next-runtime-globals";
import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config, proxy } from "./proxy";

const bearer = { authorization: "Bearer mops_example" };

describe("proxy", () => {
  it("skips the serving endpoints, /v2 itself included, and the upload routes", () => {
    for (const path of ["/v2", "/v2/", "/v2/health/ready", "/v2/models/iris/infer", "/api/serve/iris/invocations", "/api/datasets/upload"]) {
      expect(unstable_doesMiddlewareMatch({ config, url: `http://studio.test${path}`, headers: bearer }), path).toBe(false);
    }
    for (const path of ["/experiments", "/sign-in", "/api/2.0/mlflow/experiments/search", "/v2x", "/models/v2"]) {
      expect(unstable_doesMiddlewareMatch({ config, url: `http://studio.test${path}` }), path).toBe(true);
    }
  });

  it("lets GET /v2 through to its JSON handler, with or without a session cookie", () => {
    for (const headers of [bearer, {}]) {
      const response = proxy(new NextRequest("http://studio.test/v2", { headers }));
      expect(response.headers.get("location")).toBeNull();
      expect(response.status).toBe(200);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("lets probes and scrapers reach /healthz, /readyz and /metrics without a session, with the security headers", () => {
    for (const path of ["/healthz", "/readyz", "/metrics"]) {
      const response = proxy(new NextRequest(`http://studio.test${path}`));
      expect(response.headers.get("location"), path).toBeNull();
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("still sends a signed-out visitor of a page to sign in, with the page as next", () => {
    const response = proxy(new NextRequest("http://studio.test/models/iris?tab=versions"));
    expect(response.status).toBe(307);
    const location = new URL(response.headers.get("location")!);
    expect(location.pathname).toBe("/sign-in");
    expect(location.searchParams.get("next")).toBe("/models/iris?tab=versions");
  });
});
