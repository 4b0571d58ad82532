// tRPC context (database, artifacts, acting user), procedure kinds, and the one DomainError → TRPCError mapping.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { Actor } from "./auth/actor";
import { resolveActor } from "./auth/authenticate";
import { authorize, labellerMayCall, labellerOnlyRefusal, mayOnlyLabel, type Permission } from "./auth/permissions";
import { describeZodError, isDomainError, isZodError, toDomainError, zodErrorSentence, zodFieldSentences, type ErrorCode } from "./errors";
import { getArtifactStore, type ServiceContext } from "./service-context";
import { getDatabase } from "@/db/client";

/** The tRPC context: a ServiceContext whose actor is null until the request is signed in. */
export type TrpcContext = Omit<ServiceContext, "actor"> & { actor: Actor | null; req: Request };

export async function createTrpcContext(opts: { req: Request }): Promise<TrpcContext> {
  try {
    const { db } = await getDatabase();
    const actor = await resolveActor(opts.req, db);
    return { db, artifacts: getArtifactStore(), actor, req: opts.req };
  } catch (error) {
    // Bad credentials or a serve-only token: the caller's status (401/403) and message; a database that cannot be
    // reached (even to open it): 503 with the outage message. Not a 500 either way.
    const domain = toDomainError(error);
    throw new TRPCError({ code: trpcCodes[domain.code], message: domain.message, cause: domain });
  }
}

const trpcCodes: Record<ErrorCode, TRPCError["code"]> = {
  INVALID_PARAMETER_VALUE: "BAD_REQUEST",
  MALFORMED_REQUEST: "BAD_REQUEST",
  BAD_REQUEST: "BAD_REQUEST",
  INVALID_STATE: "CONFLICT",
  RESOURCE_ALREADY_EXISTS: "CONFLICT",
  RESOURCE_CONFLICT: "CONFLICT",
  UNPROCESSABLE_CONTENT: "UNPROCESSABLE_CONTENT",
  UNAUTHENTICATED: "UNAUTHORIZED",
  PERMISSION_DENIED: "FORBIDDEN",
  RESOURCE_DOES_NOT_EXIST: "NOT_FOUND",
  ENDPOINT_NOT_FOUND: "NOT_FOUND",
  REQUEST_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  REQUEST_LIMIT_EXCEEDED: "TOO_MANY_REQUESTS",
  RESOURCE_EXHAUSTED: "TOO_MANY_REQUESTS",
  INTERNAL_ERROR: "INTERNAL_SERVER_ERROR",
  NOT_IMPLEMENTED: "NOT_IMPLEMENTED",
  TEMPORARILY_UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zodError = isZodError(error.cause) ? error.cause : null;
    return {
      ...shape,
      // Forms show field errors; the stack never leaves the server.
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        domainCode: isDomainError(error.cause) ? error.cause.code : undefined,
        // The message as a catalogue code and values, so the page says it in the reader's language (ui/use-error-text).
        sentence: isDomainError(error.cause) ? error.cause.sentence : zodError ? zodErrorSentence(zodError) : undefined,
        fieldErrors: zodError ? zodError.flatten().fieldErrors : undefined,
        // The same field errors as sentences, one for one, so forms say them in the reader's language (ui/use-error-text).
        fieldSentences: zodError ? zodFieldSentences(zodError) : undefined,
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
  if (isDomainError(cause)) {
    throw new TRPCError({ code: trpcCodes[cause.code], message: cause.message, cause });
  }
  if (result.error.code === "INTERNAL_SERVER_ERROR") {
    // Input faults that slipped past validation (a unique violation, a malformed escape) keep their 4xx code.
    const domain = toDomainError(cause ?? result.error);
    throw new TRPCError({ code: trpcCodes[domain.code], message: domain.message, cause: domain });
  }
  return result;
});

export const createTrpcRouter = t.router;

/** Open to anyone, signed in or not (the sign-in page's own queries). */
export const anonymousProcedure = t.procedure.use(mapDomainErrors);

/** Needs a signed-in actor; services then check the actor's permissions. */
export const protectedProcedure = anonymousProcedure.use(({ ctx, path, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Your session has ended: sign in again." });
  if (mayOnlyLabel(ctx.actor) && !labellerMayCall(path)) throw new TRPCError({ code: "FORBIDDEN", message: labellerOnlyRefusal(ctx.actor).message });
  const serviceContext: ServiceContext = { db: ctx.db, artifacts: ctx.artifacts, actor: ctx.actor };
  return next({ ctx: serviceContext });
});

/** A procedure that also requires one permission up front (for procedures whose service is read-only). */
export function permittedProcedure(permission: Permission) {
  return protectedProcedure.use(({ ctx, next }) => {
    authorize(ctx.actor, permission);
    return next();
  });
}
