// Where to go after signing in: the `next` parameter only when it names a page of this studio.

/** Home: the experiments list, or a labeller's queues (the home page decides by role). */
export const DEFAULT_AFTER_SIGN_IN = "/";

/**
 * Resolves `next` the way the browser will (the URL parser drops tabs and newlines, reads a backslash as a
 * slash, and takes `//host` as another site) and keeps it only when it stays on `origin`. The answer is a
 * path that cannot be read as protocol-relative, so handing it to the router cannot leave the studio.
 */
export function safeNextPath(next: string | null | undefined, origin: string): string {
  if (!next) return DEFAULT_AFTER_SIGN_IN;
  let base: URL;
  let target: URL;
  try {
    base = new URL(origin);
    target = new URL(next, base);
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
  if (target.origin !== base.origin) return DEFAULT_AFTER_SIGN_IN;
  // A same-origin URL whose path starts with "//" (from "/.//evil.example") would become protocol-relative again.
  if (target.pathname.startsWith("//") || target.pathname.startsWith("/\\")) return DEFAULT_AFTER_SIGN_IN;
  if (target.pathname === "/sign-in") return DEFAULT_AFTER_SIGN_IN;
  return `${target.pathname}${target.search}${target.hash}`;
}
