// Resolves the acting user of an HTTP request: API token (Bearer), HTTP Basic, or a session cookie.
import { eq } from "drizzle-orm";
import { getDatabase, type Database } from "@/db/client";
import { users } from "@/db/schema";
import { DomainError, saidError } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import { authDisabled, localActor, type Actor, type Role } from "./actor";
import { timingDummyHash, verifyPassword } from "./passwords";
import { releaseSignInAttempt, reserveSignInAttempt } from "./rate-limit";
import { SESSION_COOKIE, actorFromSession, sha256 } from "./sessions";
import { grantFromToken, grantKnownNow, isServeOnly, type TokenGrant } from "./tokens";
import { labellerOnlyRefusal, mayOnlyLabel } from "./permissions";

/** What authentication reads of a request: a fetch Request, or the standalone serving process's light wrapper. */
export interface RequestLike {
  method: string;
  headers: { get(name: string): string | null };
}

export function readCookie(request: RequestLike, name: string): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/**
 * How many reverse proxies in front of the studio append to X-Forwarded-For: STUDIO_TRUST_PROXY=true (or 1) for
 * one, a number for a chain, unset or false for none. Only then are forwarding headers believed: a client can
 * write any X-Forwarded-For it likes, and Next.js keeps a client's header rather than the socket address.
 */
export function trustedProxyHops(): number {
  const value = (process.env.STUDIO_TRUST_PROXY ?? "").trim().toLowerCase();
  if (value === "true" || value === "yes") return 1;
  const hops = Number(value);
  return Number.isInteger(hops) && hops > 0 ? hops : 0;
}

/**
 * The client address a request comes from, for rate limiting, or null when it cannot be trusted. Behind n
 * trusted proxies it is the n-th X-Forwarded-For entry from the right (the address our outermost proxy saw);
 * entries further left were written by the client.
 */
export function clientAddressOf(request: RequestLike): string | null {
  const hops = trustedProxyHops();
  if (!hops) return null;
  const forwarded = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  if (forwarded.length) return forwarded[Math.max(0, forwarded.length - hops)].slice(0, 100);
  return request.headers.get("x-real-ip")?.trim().slice(0, 100) || null;
}

/**
 * Verified Basic credentials are remembered briefly: argon2 is slow on purpose, and scripts call often. The key
 * includes the stored password hash, which the account row (read on every request) carries: a password reset
 * changes it, so every process stops accepting the old password at once; `disabled` and the role come from the row.
 */
const basicCache = new Map<string, { userId: string; until: number }>();
const BASIC_CACHE_MS = 60_000;
const BASIC_CACHE_MAX = 10_000;

async function actorFromBasic(db: Database, encoded: string, clientAddress: string | null): Promise<Actor | null> {
  let decoded: string;
  try {
    decoded = Buffer.from(encoded, "base64").toString("utf8");
  } catch {
    return null;
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  const username = decoded.slice(0, colon).trim().toLowerCase();
  const password = decoded.slice(colon + 1);
  const [user] = await db.select().from(users).where(eq(users.username, username));
  const cacheKey = sha256(`${username}\0${password}\0${user?.passwordHash ?? ""}`);
  const cached = basicCache.get(cacheKey);
  let ok = false;
  if (user && cached && cached.userId === user.userId && cached.until > Date.now()) {
    ok = true;
  } else {
    if ((await reserveSignInAttempt(db, username, clientAddress)) > 0) {
      throw new DomainError("REQUEST_LIMIT_EXCEEDED", "Too many failed sign-in attempts for this user; wait a few minutes.");
    }
    ok = user ? await verifyPassword(user.passwordHash, password) : await verifyPassword(await timingDummyHash(), password);
    if (ok && user) {
      if (basicCache.size >= BASIC_CACHE_MAX) basicCache.clear();
      basicCache.set(cacheKey, { userId: user.userId, until: Date.now() + BASIC_CACHE_MS });
      await releaseSignInAttempt(db, username, clientAddress);
    }
  }
  if (!user || !ok || user.disabled) return null;
  return { userId: user.userId, username: user.username, role: user.role as Role, via: "basic" };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cookie-authenticated writes must come from the studio's own pages: the browser's Origin (or
 * Sec-Fetch-Site) header proves it, and a cross-site form or script cannot forge either.
 */
export function assertSameOrigin(request: RequestLike): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.get("origin");
  const fetchSite = request.headers.get("sec-fetch-site");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (origin) {
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = null;
    }
    if (originHost && host && originHost === host) return;
  } else if (fetchSite === "same-origin" || fetchSite === "none") {
    return;
  }
  throw saidError("PERMISSION_DENIED", "Cross-site request refused: this change must be made from the studio's own pages.", sentence("error.auth.cross_site"));
}

export interface ResolveOptions {
  /** The model serving endpoints: the only ones a "serve"-scoped token may call. */
  serving?: boolean;
}

export const SERVE_SCOPE_REFUSAL =
  "This API token has the 'serve' scope: it may only call the model serving endpoints (/api/serve/<model>/invocations and /v2/models/…). Create a token with scope 'all' on the Tokens page for the rest of the API.";

/** The actor of a request, or null when it carries no credentials. Bad credentials are an error, not anonymity. */
export async function resolveActor(request: RequestLike, db?: Database, options: ResolveOptions = {}): Promise<Actor | null> {
  if (authDisabled()) return localActor;
  const authorization = request.headers.get("authorization");
  const database = db ?? (await getDatabase()).db;
  if (authorization) {
    const [scheme, ...rest] = authorization.trim().split(/\s+/);
    const credentials = rest.join(" ");
    let actor: Actor | null = null;
    if (/^bearer$/i.test(scheme)) actor = bearerActor(await grantFromToken(database, credentials), options);
    else if (/^basic$/i.test(scheme)) actor = await actorFromBasic(database, credentials, clientAddressOf(request));
    if (!actor) throw invalidCredentials();
    return actor;
  }
  const cookie = readCookie(request, SESSION_COOKIE);
  if (cookie) {
    const actor = await actorFromSession(database, cookie);
    if (actor) assertSameOrigin(request);
    return actor;
  }
  return null;
}

/** The actor a bearer token's grant acts as; a serve-scoped token is refused off the serving endpoints. */
function bearerActor(grant: TokenGrant | null, options: ResolveOptions): Actor | null {
  if (grant && !options.serving && isServeOnly(grant.scopes)) throw saidError("PERMISSION_DENIED", SERVE_SCOPE_REFUSAL, sentence("error.auth.serve_scope"));
  return grant?.actor ?? null;
}

function invalidCredentials(): DomainError {
  return saidError(
    "UNAUTHENTICATED",
    "Invalid credentials: the token is unknown, revoked or expired, or the username/password is wrong.",
    sentence("error.auth.invalid_credentials"),
  );
}

/**
 * resolveActor's answer when it is known at once — authentication off, or a bearer token whose grant this process
 * remembers under the current credentials epoch — so a serving request need not wait turns for it; refused exactly as
 * resolveActor refuses. Undefined when it is not known at once (another scheme, a cookie, a token to verify): then
 * resolveActor.
 */
export function actorKnownNow(request: RequestLike, db: Database, options: ResolveOptions = {}): Actor | undefined {
  if (authDisabled()) return localActor;
  const authorization = request.headers.get("authorization");
  if (!authorization) return undefined;
  const [scheme, ...rest] = authorization.trim().split(/\s+/);
  if (!/^bearer$/i.test(scheme)) return undefined;
  const grant = grantKnownNow(db, rest.join(" "));
  if (grant === undefined) return undefined;
  const actor = bearerActor(grant, options);
  if (!actor) throw invalidCredentials();
  return actor;
}

export async function authenticateRequest(request: RequestLike, db?: Database, options: ResolveOptions = {}): Promise<Actor> {
  const actor = await resolveActor(request, db, options);
  if (!actor) {
    throw saidError(
      "UNAUTHENTICATED",
      "Authentication required: send 'Authorization: Bearer <token>' (set MLFLOW_TRACKING_TOKEN) or HTTP Basic credentials (MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD). Create a token on the studio's Tokens page.",
      sentence("error.auth.required"),
    );
  }
  // The REST APIs (MLflow, datasets, models, artifacts) have nothing a labeller may use.
  if (mayOnlyLabel(actor)) throw labellerOnlyRefusal(actor);
  return actor;
}
