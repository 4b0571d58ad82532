"use client";
// The address the reader reached the studio at (scheme, host, port), for snippets they paste elsewhere.
import { useSyncExternalStore } from "react";

const subscribeNever = () => () => undefined;

/** Null while rendered on the server (it cannot know which host name the browser used); the origin once hydrated. */
export function useBrowserOrigin(): string | null {
  return useSyncExternalStore(
    subscribeNever,
    () => window.location.origin,
    () => null,
  );
}
