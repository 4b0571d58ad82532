// Axis arithmetic for the canvas line charts: data extents, "nice" tick values and value ↔ pixel maps.

export interface Extent {
  min: number;
  max: number;
}

/** Round tick values (1, 2 or 5 × 10^k apart) covering [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  // Multiples of the step, computed from integers so 0.1 + 0.2 never shows as 0.30000000000000004.
  for (let i = Math.ceil(min / step - 1e-9); i * step <= max + step * 1e-9; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** Powers of ten within [min, max] (both > 0), for a log axis; thinned when there are many decades. */
export function logTicks(min: number, max: number, count = 6): number[] {
  if (!(min > 0) || !(max >= min)) return [];
  const lo = Math.ceil(Math.log10(min) - 1e-9);
  const hi = Math.floor(Math.log10(max) + 1e-9);
  const every = Math.max(1, Math.ceil((hi - lo + 1) / count));
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e += every) ticks.push(Number((10 ** e).toPrecision(12)));
  return ticks;
}

/** The y extent to draw: the data's, padded by 5% (or ±1 around a flat line) so lines do not touch the frame. */
export function paddedExtent(min: number, max: number): Extent {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { min: 0, max: 1 };
  if (min === max) return { min: min - 1, max: max + 1 };
  const pad = (max - min) * 0.05;
  return { min: min - pad, max: max + pad };
}

/** Whole decades around [min, max] (both > 0), so a log axis' ticks fall on 0.01, 0.1, 1… */
export function logExtent(min: number, max: number): Extent | null {
  if (!(min > 0) || !(max >= min)) return null;
  return { min: 10 ** Math.floor(Math.log10(min)), max: 10 ** Math.ceil(Math.log10(max) + (min === max ? 1 : 0)) };
}

/** A linear or log map from a value domain onto a pixel range, and back. */
export function makeScale(domain: Extent, range: Extent, log = false): { toPx: (v: number) => number; fromPx: (px: number) => number } {
  const f = log ? Math.log10 : (v: number) => v;
  const inv = log ? (v: number) => 10 ** v : (v: number) => v;
  const d0 = f(domain.min);
  const d1 = f(domain.max);
  const span = d1 - d0 || 1;
  const k = (range.max - range.min) / span;
  return {
    toPx: (v) => range.min + (f(v) - d0) * k,
    fromPx: (px) => inv(d0 + (px - range.min) / k),
  };
}
