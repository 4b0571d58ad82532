// The "Register model" button under a run's .onnx artifact: writers see it, viewers do not.
import { describe, expect, it } from "vitest";
import { RegisterFromRun } from "./register-from-run";
import { renderWithCache } from "./render-with-cache";

const render = (permissions: string[]) => renderWithCache(<RegisterFromRun runId="run-1" artifactPath="model/model.onnx" />, permissions, () => undefined);

describe("RegisterFromRun", () => {
  it("shows the button to writers only", () => {
    expect(render(["studio.read", "models.write"])).toContain(">Register model</button>");
    expect(render(["studio.read"])).toBe("");
  });
});
