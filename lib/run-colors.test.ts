import { describe, expect, it } from "vitest";
import { RUN_PALETTE, distinctRunColors, hashRunId, runColor } from "./run-colors";

describe("runColor", () => {
  it("gives a run the same colour every time, from the palette", () => {
    const id = "0f3c2a9d8e7b4c1a9f0e1d2c3b4a5968";
    expect(runColor(id)).toBe(runColor(id));
    expect(RUN_PALETTE).toContain(runColor(id));
  });

  it("matches FNV-1a's published test vectors", () => {
    expect(hashRunId("")).toBe(0x811c9dc5);
    expect(hashRunId("a")).toBe(0xe40c292c);
    expect(hashRunId("foobar")).toBe(0xbf9cf968);
  });

  it("spreads many run ids over every colour of the palette", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 1200; i++) {
      const color = runColor(`run-${i.toString(16).padStart(8, "0")}`);
      counts.set(color, (counts.get(color) ?? 0) + 1);
    }
    expect(counts.size).toBe(RUN_PALETTE.length);
    for (const count of counts.values()) expect(count).toBeGreaterThan(40);
  });
});

describe("distinctRunColors", () => {
  const ids = (n: number, prefix = "r") => Array.from({ length: n }, (_, i) => `${prefix}${i.toString(16).padStart(31, "0")}`);

  it("gives ten compared runs ten different palette colours, whatever their order", () => {
    const runs = ids(10);
    const colors = distinctRunColors(runs);
    expect(new Set(colors.values()).size).toBe(10);
    for (const color of colors.values()) expect(RUN_PALETTE).toContain(color);
    expect(distinctRunColors([...runs].reverse())).toEqual(colors);
  });

  it("keeps a run's own colour when nothing else wants it", () => {
    const [only] = ids(1);
    expect(distinctRunColors([only!]).get(only!)).toBe(runColor(only!));
  });

  it("stays distinct past the palette", () => {
    const colors = distinctRunColors(ids(40, "x"));
    expect(colors.size).toBe(40);
    expect(new Set(colors.values()).size).toBe(40);
  });
});
