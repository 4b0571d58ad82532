// Which key press does what in the studio: Ctrl/Cmd-K everywhere, `?` and g-then-key only outside text fields.
import { describe, expect, it } from "vitest";
import { movedHighlight, shortcutFor, type KeyPress } from "./keyboard-shortcuts";

const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  inTextField: false,
  pendingGAt: null,
  now: 10_000,
  ...extra,
});

describe("shortcutFor", () => {
  it("opens the palette on Ctrl-K and Cmd-K, even while typing in a field", () => {
    expect(shortcutFor(press("k", { ctrlKey: true }))).toEqual({ kind: "openPalette" });
    expect(shortcutFor(press("K", { metaKey: true, inTextField: true }))).toEqual({ kind: "openPalette" });
    expect(shortcutFor(press("k", { ctrlKey: true, altKey: true }))).toEqual({ kind: "none" });
    expect(shortcutFor(press("k"))).toEqual({ kind: "none" });
  });

  it("opens the shortcut overlay on ? unless the key is typed into a field", () => {
    expect(shortcutFor(press("?"))).toEqual({ kind: "openHelp" });
    expect(shortcutFor(press("?", { inTextField: true }))).toEqual({ kind: "none" });
  });

  it("goes to a section on g then its letter, only within the time window", () => {
    expect(shortcutFor(press("g"))).toEqual({ kind: "startSequence" });
    expect(shortcutFor(press("m", { pendingGAt: 9_000 }))).toEqual({ kind: "goTo", href: "/models" });
    expect(shortcutFor(press("e", { pendingGAt: 9_000 }))).toEqual({ kind: "goTo", href: "/experiments" });
    expect(shortcutFor(press("d", { pendingGAt: 9_000 }))).toEqual({ kind: "goTo", href: "/datasets" });
    expect(shortcutFor(press("r", { pendingGAt: 9_000 }))).toEqual({ kind: "goTo", href: "/reviews" });
    expect(shortcutFor(press("m", { pendingGAt: 1_000 }))).toEqual({ kind: "none" });
    expect(shortcutFor(press("m"))).toEqual({ kind: "none" });
    expect(shortcutFor(press("x", { pendingGAt: 9_000 }))).toEqual({ kind: "none" });
    expect(shortcutFor(press("m", { pendingGAt: 9_000, inTextField: true }))).toEqual({ kind: "none" });
  });
});

describe("movedHighlight", () => {
  it("moves through the options and wraps at both ends", () => {
    expect(movedHighlight(-1, 3, "ArrowDown")).toBe(0);
    expect(movedHighlight(2, 3, "ArrowDown")).toBe(0);
    expect(movedHighlight(0, 3, "ArrowUp")).toBe(2);
    expect(movedHighlight(1, 3, "Home")).toBe(0);
    expect(movedHighlight(0, 3, "End")).toBe(2);
    expect(movedHighlight(1, 0, "ArrowDown")).toBe(-1);
  });
});
