// Seeded pseudo-random numbers (uniform and standard normal), so shuffles, noise and samples repeat exactly for a seed.

/**
 * mulberry32: small and fast; statistical quality is ample for shuffling rows and adding noise. Not numpy's
 * generator, so results are reproducible here but not draw-for-draw equal to Python's.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Standard normal draws (mean 0, std 1) by the Box–Muller transform of seededRandom's uniforms. Each pair of
 * uniforms gives two independent normals; the second is kept for the next call, so no draw is wasted.
 */
export function seededNormal(seed: number): () => number {
  const uniform = seededRandom(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    // 1 − u lies in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/** `count` distinct row indices out of 0..size-1, drawn with a seeded partial Fisher–Yates shuffle, in ascending order. */
export function seededSample(size: number, count: number, seed: number): number[] {
  if (count >= size) return Array.from({ length: size }, (_, index) => index);
  const random = seededRandom(seed);
  const indices = Int32Array.from({ length: size }, (_, index) => index);
  for (let position = 0; position < count; position += 1) {
    const other = position + Math.floor(random() * (size - position));
    const swap = indices[position];
    indices[position] = indices[other];
    indices[other] = swap;
  }
  return Array.from(indices.subarray(0, count)).sort((a, b) => a - b);
}
