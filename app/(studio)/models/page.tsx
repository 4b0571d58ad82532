// Models page: not built yet; it says what it will do and points to Experiments.
import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/shell/not-built-yet";

export const metadata: Metadata = { title: "Models" };

export default function ModelsPage() {
  return (
    <NotBuiltYet
      title="Models"
      willDo="Register a model version from a run artifact or an ONNX file, read its graph and signature, set aliases such as champion and production, and try it in the browser playground."
    />
  );
}
