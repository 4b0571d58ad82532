// Unit tests of the artifact download links.
import { describe, expect, it } from "vitest";
import { artifactDownloadHref, artifactProxyRoot } from "./artifact-link";

describe("artifact links", () => {
  it("maps the run's artifact URI to the proxy root", () => {
    expect(artifactProxyRoot("mlflow-artifacts:/3/abc/artifacts")).toBe("3/abc/artifacts");
    expect(artifactProxyRoot("mlflow-artifacts://studio:3000/3/abc/artifacts/")).toBe("3/abc/artifacts");
    expect(artifactProxyRoot("/var/data/artifacts")).toBeNull();
  });
  it("encodes each segment but keeps the slashes", () => {
    expect(artifactDownloadHref("3/abc/artifacts", "model/my file#1.txt")).toBe(
      "/api/2.0/mlflow-artifacts/artifacts/3/abc/artifacts/model/my%20file%231.txt",
    );
  });
});
