// Which run artifacts may be registered, and the model name first offered for them.
import { describe, expect, it } from "vitest";
import { isRegistrableArtifact, suggestedModelName } from "./register-name";

describe("isRegistrableArtifact", () => {
  it("accepts .onnx files only, whatever the case", () => {
    expect(isRegistrableArtifact("model/model.onnx")).toBe(true);
    expect(isRegistrableArtifact("MODEL.ONNX")).toBe(true);
    expect(isRegistrableArtifact("model/model.pkl")).toBe(false);
    expect(isRegistrableArtifact("model/onnx")).toBe(false);
  });
});

describe("suggestedModelName", () => {
  it("prefers the run name, made name-like", () => {
    expect(suggestedModelName("model/model.onnx", "Breast Cancer RF v2")).toBe("breast-cancer-rf-v2");
  });
  it("uses the file name, or its folder when the file is the generic model.onnx", () => {
    expect(suggestedModelName("exports/iris_logreg.onnx")).toBe("iris_logreg");
    expect(suggestedModelName("fraud-detector/model.onnx")).toBe("fraud-detector");
    expect(suggestedModelName("model/model.onnx")).toBe("model");
  });
});
