// The x under the pointer, shared by a chart's overlay (which writes it) and its readout (which reads it)
// without re-rendering the chart's hundred lines on every mouse move.
import { useSyncExternalStore } from "react";

/** The x value under the pointer and where the pointer is across the plot (0 = left edge, 1 = right). */
export interface Hover {
  x: number;
  across: number;
}

export interface HoverStore {
  get(): Hover | null;
  set(hover: Hover | null): void;
  subscribe(listener: () => void): () => void;
}

export function createHoverStore(): HoverStore {
  let current: Hover | null = null;
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    set(hover) {
      if (hover === current || (hover && current && hover.x === current.x && hover.across === current.across)) return;
      current = hover;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function useHover(store: HoverStore): Hover | null {
  return useSyncExternalStore(store.subscribe, store.get, () => null);
}
