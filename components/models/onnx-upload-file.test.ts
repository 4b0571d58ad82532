// The models page's ONNX drop zone: which files it refuses before sending, and how it reads the upload route's answer.
import { describe, expect, it } from "vitest";
import { modelNameFromFile, onnxFileProblem, readOnnxUploadResponse } from "./onnx-upload-file";

describe("onnxFileProblem", () => {
  it("accepts a non-empty .onnx file, any case", () => {
    expect(onnxFileProblem({ name: "iris-logreg.onnx", size: 700 })).toBeNull();
    expect(onnxFileProblem({ name: "MODEL.ONNX", size: 1 })).toBeNull();
  });

  it("says what is wrong with another kind of file or an empty one", () => {
    expect(onnxFileProblem({ name: "iris.test.csv", size: 100 })).toMatch(/^iris\.test\.csv is not an ONNX model \(\.csv file\): choose a \.onnx file/);
    expect(onnxFileProblem({ name: "model.pkl", size: 100 })).toContain("(.pkl file)");
    expect(onnxFileProblem({ name: "README", size: 100 })).toMatch(/^README is not an ONNX model: choose/);
    expect(onnxFileProblem({ name: "empty.onnx", size: 0 })).toMatch(/empty\.onnx is empty/);
  });
});

describe("modelNameFromFile", () => {
  it("names the model after the file, lowercase with dashes", () => {
    expect(modelNameFromFile("Breast Cancer RF v2.onnx")).toBe("breast-cancer-rf-v2");
    expect(modelNameFromFile("iris-logreg.onnx")).toBe("iris-logreg");
  });
});

describe("readOnnxUploadResponse", () => {
  it("reads the new version, or the server's message", () => {
    expect(readOnnxUploadResponse(201, JSON.stringify({ name: "iris", version: "3" }))).toEqual({ kind: "registered", name: "iris", version: "3" });
    expect(readOnnxUploadResponse(400, JSON.stringify({ error_code: "INVALID_PARAMETER_VALUE", message: "Not a valid ONNX model: bad wire type." }))).toEqual({
      kind: "error",
      message: "Not a valid ONNX model: bad wire type.",
    });
    expect(readOnnxUploadResponse(413, "<html>too big</html>").kind).toBe("error");
    expect(readOnnxUploadResponse(500, "")).toEqual({ kind: "error", message: expect.stringContaining("answered 500") });
  });
});
