"use client";
// The runs table's ticked runs. They live in React state so a tick shows at once (waiting for the URL cost
// 90–310 ms a click); the URL follows after a pause, without a navigation: a short list as `sel`, a long one
// saved server-side as a compare selection whose short id is `selid` (1,000 run ids do not fit in a link).
import { useMutation, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { MAX_LINKED_RUNS } from "@/lib/compare-state";
import { decodeUrlList, encodeUrlList } from "@/lib/url-list";
import { toggleRunSelection } from "./run-tree";

/** Quiet time after the last tick before the URL is rewritten: a burst of ticks costs one rewrite. */
const URL_MIRROR_DELAY_MS = 400;

/** Sets query parameters in place (no history entry, no navigation); null removes one. */
export function replaceQueryParams(changes: Record<string, string | null>): void {
  const next = new URLSearchParams(window.location.search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === "") next.delete(key);
    else next.set(key, value);
  }
  const query = next.toString();
  window.history.replaceState(null, "", query ? `${window.location.pathname}?${query}` : window.location.pathname);
}

export function useRunSelection(experimentId: string) {
  const trpc = useTRPC();
  const searchParams = useSearchParams();
  // The URL is read once: afterwards it follows the state, never the other way round.
  const [fromUrl] = useState(() => ({ ids: decodeUrlList(searchParams.get("sel")), savedId: searchParams.get("selid") }));
  const [selected, setSelected] = useState<string[]>(fromUrl.ids);
  const saved = useQuery({
    ...trpc.tracking.compareSelection.queryOptions({ experimentId, selectionId: fromUrl.savedId ?? "-" }),
    enabled: fromUrl.savedId !== null && fromUrl.ids.length === 0,
    staleTime: Infinity,
    retry: false,
  });
  const [adoptedSaved, setAdoptedSaved] = useState(false);
  if (saved.data && !adoptedSaved) {
    setAdoptedSaved(true);
    // Ticks made while it loaded win over the link.
    if (selected.length === 0) setSelected(saved.data.runIds);
  }

  const save = useMutation(trpc.tracking.saveCompareSelection.mutationOptions());
  const saveSelection = save.mutateAsync;
  const [mirrorError, setMirrorError] = useState<string | null>(null);
  const mounted = useRef(false);
  // Set when the person follows Compare: from then on the link is not rewritten. A replaceState while the router's
  // navigation to the compare page is pending (its URL not yet committed) made Next's router restore the runs page,
  // so a Compare clicked within the save's ~0.4 s stayed where it was (seen in e2e/compare.spec.ts's 1,000 runs).
  const leaving = useRef(false);
  useEffect(() => {
    if (!mounted.current) {
      mounted.current = true;
      return;
    }
    // A new tick means the person stayed (e.g. Compare failed and said why): the link follows again.
    leaving.current = false;
    // A save still in flight when the selection changes again or the page is left (Compare navigates away)
    // must not rewrite the link: on the compare page it would drop that page's own `sel`.
    let stale = false;
    const page = window.location.pathname;
    const timer = window.setTimeout(() => {
      if (leaving.current) return;
      if (selected.length <= MAX_LINKED_RUNS) {
        replaceQueryParams({ sel: selected.length ? encodeUrlList(selected) : null, selid: null });
        setMirrorError(null);
        return;
      }
      saveSelection({ experimentId, runIds: selected }).then(
        ({ selectionId }) => {
          if (stale || leaving.current || window.location.pathname !== page) return;
          replaceQueryParams({ sel: null, selid: selectionId });
          setMirrorError(null);
        },
        (error: Error) => {
          if (!stale) setMirrorError(`The selection could not be kept in the link: ${error.message}`);
        },
      );
    }, URL_MIRROR_DELAY_MS);
    return () => {
      stale = true;
      window.clearTimeout(timer);
    };
  }, [selected, experimentId, saveSelection]);

  // The last clicked row, the anchor of a shift-click range.
  const anchor = useRef<string | null>(null);
  /** `order`: the run ids of the rows as shown, for a shift-click range. */
  const toggle = useCallback((runId: string, checked: boolean, shiftKey: boolean, order: readonly string[]) => {
    const range = shiftKey ? { anchor: anchor.current, order } : null;
    setSelected((current) => toggleRunSelection(current, runId, checked, range));
    anchor.current = runId;
  }, []);

  /** Call as the page is left for the selection's comparison: the link is no longer rewritten behind the navigation. */
  const leave = useCallback(() => {
    leaving.current = true;
  }, []);

  return {
    selected,
    setSelected,
    toggle,
    leave,
    /** A saved selection named by the link is still loading. */
    loading: saved.isFetching,
    error: saved.error ? `The selection in this link could not be loaded: ${saved.error.message}` : mirrorError,
  };
}
