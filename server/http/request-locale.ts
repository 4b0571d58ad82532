// The language a request asks for, as the studio's pages choose it: the language cookie set from the user's settings,
// else Accept-Language, else English. Holds no catalogue, so the standalone serving process may import it.
import { LOCALE_COOKIE, negotiateLocale, type Locale } from "@/lib/i18n/locales";
import { readCookie, type RequestLike } from "../auth/authenticate";

/** The caller's language, as lib/i18n/request.ts chooses it for a page; a malformed cookie counts as none. */
export function requestLocale(request: RequestLike): Locale {
  let cookie: string | null = null;
  try {
    cookie = readCookie(request, LOCALE_COOKIE);
  } catch {
    cookie = null;
  }
  return negotiateLocale(cookie ?? undefined, request.headers.get("accept-language"));
}
