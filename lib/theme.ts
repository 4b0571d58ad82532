// The colour theme a user picked: kept in a cookie so the server renders the right palette at once (no flash).

export const THEME_COOKIE = "studio-theme";
export type ThemeChoice = "system" | "light" | "dark";

/** The `data-theme` attribute for a cookie value; "system" (or anything unknown) leaves it to the OS setting. */
export function themeAttribute(cookieValue: string | undefined): "light" | "dark" | undefined {
  return cookieValue === "light" || cookieValue === "dark" ? cookieValue : undefined;
}
