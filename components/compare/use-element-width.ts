"use client";
// An element's width, rounded so that small resizes do not refetch chart data sized to it.
import { useEffect, useState, type RefObject } from "react";

export function useElementWidth(ref: RefObject<HTMLElement | null>, roundTo = 100): number | null {
  const [width, setWidth] = useState<number | null>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(roundTo, Math.round(element.clientWidth / roundTo) * roundTo));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, roundTo]);
  return width;
}

/** True once the element has come near the viewport: charts far below the fold fetch nothing until then. */
export function useNearViewport(ref: RefObject<HTMLElement | null>, margin = "400px"): boolean {
  const [near, setNear] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element || near) return;
    // Charts already on screen fetch at once: the observer's first report waits for the next frame, which on a
    // busy page comes late.
    const box = element.getBoundingClientRect();
    const px = Number.parseFloat(margin) || 0;
    if (box.bottom >= -px && box.top <= window.innerHeight + px && box.right >= -px && box.left <= window.innerWidth + px) {
      setNear(true);
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setNear(true);
      },
      { rootMargin: margin },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, margin, near]);
  return near;
}
