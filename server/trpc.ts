// tRPC context (database, artifacts, acting user), procedure kinds, and the one DomainError → TRPCError mapping.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { authenticateRequest } from "./auth/authenticate";
import { DomainError, describeZodError, toDomainError, type ErrorCode } from "./errors";
import { getServiceContext, type ServiceContext } from "./service-context";

export async function createTrpcContext(opts: { req: Request }): Promise<ServiceContext> {
  const actor = await authenticateRequest(opts.req);
  return getServiceContext(actor);
}

const trpcCodes: Record<ErrorCode, TRPCError["code"]> = {
  INVALID_PARAMETER_VALUE: "BAD_REQUEST",
  MALFORMED_REQUEST: "BAD_REQUEST",
  BAD_REQUEST: "BAD_REQUEST",
  INVALID_STATE: "CONFLICT",
  RESOURCE_ALREADY_EXISTS: "CONFLICT",
  UNAUTHENTICATED: "UNAUTHORIZED",
  PERMISSION_DENIED: "FORBIDDEN",
  RESOURCE_DOES_NOT_EXIST: "NOT_FOUND",
  ENDPOINT_NOT_FOUND: "NOT_FOUND",
  REQUEST_LIMIT_EXCEEDED: "TOO_MANY_REQUESTS",
  RESOURCE_EXHAUSTED: "TOO_MANY_REQUESTS",
  INTERNAL_ERROR: "INTERNAL_SERVER_ERROR",
  NOT_IMPLEMENTED: "NOT_IMPLEMENTED",
  TEMPORARILY_UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

const t = initTRPC.context<ServiceContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      // Forms show field errors; the stack never leaves the server.
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        domainCode: error.cause instanceof DomainError ? error.cause.code : undefined,
        fieldErrors: zodError ? zodError.flatten().fieldErrors : undefined,
      },
      message: zodError ? describeZodError(zodError) : shape.message,
    };
  },
});

/** Every domain error becomes a TRPCError with a matching code and the domain message; unknown errors say nothing of their internals. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof DomainError) {
    throw new TRPCError({ code: trpcCodes[cause.code], message: cause.message, cause });
  }
  if (result.error.code === "INTERNAL_SERVER_ERROR") {
    const domain = toDomainError(cause ?? result.error);
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: domain.message, cause: domain });
  }
  return result;
});

export const createTrpcRouter = t.router;
export const publicProcedure = t.procedure.use(mapDomainErrors);
