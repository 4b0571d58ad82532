// MLflow scoring protocol: POST /api/serve/<model>[@<alias>|/<version>]/invocations (see server/serving/http.ts).
import { serveFetchRequest } from "@/server/serving/http";

export const dynamic = "force-dynamic";
export { serveFetchRequest as POST, serveFetchRequest as GET };
