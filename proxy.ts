// Runs before every route: security headers, a per-request CSP nonce for pages, and the sign-in redirect.
import { NextResponse, type NextRequest } from "next/server";
import { SECURITY_HEADERS } from "@/lib/security-headers";

const SESSION_COOKIE = "studio_session";
const PUBLIC_PAGES = ["/sign-in"];
const OPERATIONS_PATHS = ["/healthz", "/readyz", "/metrics"];

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    // Scripts only with this request's nonce (Next adds it to its own inline bootstrap scripts).
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'${dev ? " 'unsafe-eval'" : ""}`,
    // React and chart libraries set style attributes, which nonces cannot cover.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    // Monaco's icon font (codicon) is inlined in its style sheet as a data: URL.
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function withSecurityHeaders(response: NextResponse, csp: string | null): NextResponse {
  if (csp) response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  // `/v2` itself is the OIP server metadata: a JSON API like the rest of /v2/, never a page to sign in to.
  // The operations endpoints answer probes and scrapers, which have no session: /metrics checks its own credentials.
  const isApi =
    pathname.startsWith("/api/") || pathname.startsWith("/ajax-api/") || pathname === "/v2" || pathname.startsWith("/v2/") || OPERATIONS_PATHS.includes(pathname);
  if (isApi) return withSecurityHeaders(NextResponse.next(), null);

  const authOff = process.env.STUDIO_AUTH === "off";
  if (!authOff && !PUBLIC_PAGES.includes(pathname) && !request.cookies.get(SESSION_COOKIE)) {
    const signIn = new URL("/sign-in", request.url);
    signIn.searchParams.set("next", `${pathname}${search}`);
    return withSecurityHeaders(NextResponse.redirect(signIn), null);
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  return withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp);
}

export const config = {
  matcher: [
    {
      // Uploads bypass the proxy: Next.js buffers a proxied request body and cuts it at 10 MB
      // (experimental.proxyClientMaxBodySize), which would truncate dataset, artifact and model files.
      // Model serving bypasses it too: it is the hot path and its handler authenticates every request itself.
      // Their security headers come from next.config.js instead.
      source: "/((?!_next/static|_next/image|favicon.ico|icon.svg|api/datasets/upload|api/models/upload|api/2.0/mlflow-artifacts/|ajax-api/2.0/mlflow-artifacts/|api/serve/|v2/|v2$).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
