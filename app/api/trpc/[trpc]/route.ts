// The tRPC endpoint used by the studio's own pages.
import { handleTrpcRequest } from "@/server/trpc-handler";
import { createTrpcContext } from "@/server/trpc";

export const dynamic = "force-dynamic";

function handler(req: Request) {
  return handleTrpcRequest(req, () => createTrpcContext({ req }));
}

export { handler as GET, handler as POST };
