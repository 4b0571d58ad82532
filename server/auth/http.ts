// HTTP adapters of the auth area: sign-in and sign-out with the session cookie, and the audit CSV export.
import { getDatabase, type Database } from "@/db/client";
import { DomainError } from "../errors";
import { jsonResponse, readBodyText } from "../http/mlflow-wire";
import { errorResponseFor } from "../http/said-response";
import { listAuditEntries, auditEntriesToCsv } from "./audit";
import { assertSameOrigin, authenticateRequest, clientAddressOf, readCookie, resolveActor } from "./authenticate";
import { authorize } from "./permissions";
import { localeCookie } from "@/lib/i18n/locales";
import { storedLocale } from "./preferences";
import { zAuditQuery, zSignIn } from "./schema";
import { SESSION_COOKIE, signIn, signOut } from "./sessions";

function cookieHeader(request: Request, value: string, maxAgeSeconds: number): string {
  const secure = new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https" || process.env.STUDIO_SECURE_COOKIES === "true";
  return [
    `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

/** `db` is the process's database unless a test hands its own. */
export async function handleSignIn(request: Request, db?: Database): Promise<Response> {
  try {
    assertSameOrigin(request);
    let body: unknown;
    try {
      body = JSON.parse(await readBodyText(request, 16 * 1024));
    } catch {
      throw new DomainError("MALFORMED_REQUEST", "Send a JSON body with 'username' and 'password'.");
    }
    const input = zSignIn.parse(body);
    const session = await signIn(db ?? (await getDatabase()).db, { ...input, clientKey: clientAddressOf(request) });
    const maxAge = Math.floor((session.expiresAt - Date.now()) / 1000);
    const response = jsonResponse(
      { username: session.actor.username, role: session.actor.role, locale: storedLocale(session.locale) },
      200,
      { "set-cookie": cookieHeader(request, session.cookieValue, maxAge), "cache-control": "no-store" },
    );
    // The account's language, or none (the browser's) so a shared browser does not keep the previous user's choice.
    response.headers.append("set-cookie", localeCookie(storedLocale(session.locale)));
    return response;
  } catch (error) {
    return errorResponseFor(request, error);
  }
}

export async function handleSignOut(request: Request): Promise<Response> {
  try {
    assertSameOrigin(request);
    const { db } = await getDatabase();
    const cookie = readCookie(request, SESSION_COOKIE);
    if (cookie) await signOut(db, cookie, await resolveActor(request, db).catch(() => null));
    return jsonResponse({}, 200, { "set-cookie": cookieHeader(request, "", 0), "cache-control": "no-store" });
  } catch (error) {
    return errorResponseFor(request, error);
  }
}

export async function handleAuditExport(request: Request): Promise<Response> {
  try {
    const { db } = await getDatabase();
    const actor = await authenticateRequest(request, db);
    authorize(actor, "audit.read");
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const query = zAuditQuery.parse({
      ...params,
      ...(params.from ? { from: Number(params.from) } : {}),
      ...(params.to ? { to: Number(params.to) } : {}),
      limit: params.limit ? Number(params.limit) : 5000,
    });
    const entries = await listAuditEntries(db, query);
    return new Response(auditEntriesToCsv(entries), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="audit-log-${new Date().toISOString().slice(0, 10)}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return errorResponseFor(request, error);
  }
}
