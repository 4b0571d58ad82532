// The studio's languages and how a request's language is chosen: the user's choice (a cookie set from their
// settings), else the browser's Accept-Language, else English. Shared by the server (next-intl's request config,
// the PDF export) and the browser (the language picker).

export const locales = ["en", "fr"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "en";

/** Cookie holding the user's chosen language; absent = follow the browser. */
export const LOCALE_COOKIE = "studio_locale";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/**
 * The first supported language of an Accept-Language header, by its q-weights (`fr-CH, fr;q=0.9, en;q=0.8` → fr);
 * region subtags fall back to their language. Undefined when none is supported.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(",")
    .map((part, order) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { language: tag.trim().toLowerCase().split("-")[0], weight: Number.isFinite(weight) ? weight : 0, order };
    })
    .filter((entry) => entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.order - b.order);
  return ranked.map((entry) => entry.language).find(isLocale);
}

/** The language of a request: the cookie if it names a supported one, else Accept-Language, else English. */
export function negotiateLocale(cookieValue: string | undefined, acceptLanguage: string | null | undefined): Locale {
  if (isLocale(cookieValue)) return cookieValue;
  return localeFromAcceptLanguage(acceptLanguage) ?? defaultLocale;
}

/**
 * The Set-Cookie / document.cookie text that remembers a chosen language for a year, or (null) forgets it so the
 * browser's language applies again. Not HttpOnly: the language picker sets it from the page, and it holds no secret.
 */
export function localeCookie(locale: Locale | null): string {
  return locale ? `${LOCALE_COOKIE}=${locale}; Path=/; SameSite=Lax; Max-Age=31536000` : `${LOCALE_COOKIE}=; Path=/; SameSite=Lax; Max-Age=0`;
}
