"use client";
// Page state kept in the URL's query string, so every view can be shared as a link and survives reload.
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback } from "react";

export function useUrlState() {
  const pathname = usePathname();
  const params = useSearchParams();

  /**
   * Sets (or, with null or "", removes) query parameters. The native history API is used because
   * Next.js syncs it into useSearchParams without a server round trip: the page reacts at once and
   * keystrokes typed meanwhile are not lost. "push" for deliberate steps (apply a filter, sort) so
   * Back undoes them; "replace" for typing.
   */
  const update = useCallback(
    (changes: Record<string, string | null>, history: "push" | "replace" = "replace") => {
      const next = new URLSearchParams(params.toString());
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === "") next.delete(key);
        else next.set(key, value);
      }
      const query = next.toString();
      const url = query ? `${pathname}?${query}` : pathname;
      if (history === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    },
    [params, pathname],
  );

  return { params, update };
}
