"use client";
// The studio's link: next/link that prefetches its page when a person shows the intent to follow it (pointer over it,
// keyboard focus on it, a touch), not whenever it scrolls into view. next/link's default prefetches every visible
// link's page: each is a server render of a dynamic page, and the shell alone (side navigation, user menu,
// breadcrumbs) made a dozen of them on every page load, competing with the page's own hydration on a 2-core machine
// (bench/README.md, issue 18, i18-firstload: 12 prefetches per playground load at 0.9-1.5 s each under load).
// On intent the prefetch still lands well before the click (a pointer rests ~100-300 ms before it presses).
import Link from "next/link";
import { useState, type ComponentProps } from "react";

export type StudioLinkProps = ComponentProps<typeof Link>;

export default function IntentLink({ prefetch, onMouseEnter, onFocus, onTouchStart, ...props }: StudioLinkProps) {
  const [intent, setIntent] = useState(false);
  // false until intent; then what the caller asked for (next/link's automatic prefetch by default). Turning prefetch
  // on re-registers the link with the router, which prefetches it at once since it is on screen.
  const effectivePrefetch = prefetch === false ? false : intent ? prefetch : false;
  return (
    <Link
      {...props}
      prefetch={effectivePrefetch}
      onMouseEnter={(event) => {
        setIntent(true);
        onMouseEnter?.(event);
      }}
      onFocus={(event) => {
        setIntent(true);
        onFocus?.(event);
      }}
      onTouchStart={(event) => {
        setIntent(true);
        onTouchStart?.(event);
      }}
    />
  );
}
