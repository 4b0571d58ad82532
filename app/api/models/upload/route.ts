// POST an .onnx file (the request body) with ?name=<model>: a new, introspected model version.
import { handleModelOnnxUpload } from "@/server/registry/onnx-http";

export const dynamic = "force-dynamic";
export { handleModelOnnxUpload as POST };
