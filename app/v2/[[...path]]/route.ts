// Open Inference Protocol v2 (KServe / Triton): health, model metadata and readiness, typed-tensor inference.
import { serveFetchRequest } from "@/server/serving/http";

export const dynamic = "force-dynamic";
export { serveFetchRequest as GET, serveFetchRequest as POST };
