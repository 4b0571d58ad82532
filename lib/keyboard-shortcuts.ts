// The studio's keyboard shortcuts: which key press does what, as a pure function the shell's listener and the `?` overlay share.

/** The g-then-key jumps: press g, then the letter, within this many milliseconds. */
export const SEQUENCE_WINDOW_MS = 1500;

export const goToShortcuts = [
  { key: "e", href: "/experiments", section: "experiments" },
  { key: "m", href: "/models", section: "models" },
  { key: "d", href: "/datasets", section: "datasets" },
  { key: "r", href: "/reviews", section: "reviews" },
] as const;

export type ShortcutAction = { kind: "openPalette" } | { kind: "openHelp" } | { kind: "goTo"; href: string } | { kind: "startSequence" } | { kind: "none" };

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** True when the key goes to a text field, an editor or a select: then only Ctrl/Cmd-K is a shortcut. */
  inTextField: boolean;
  /** When the previous plain "g" was pressed (ms), or null. */
  pendingGAt: number | null;
  now: number;
}

export function shortcutFor(press: KeyPress): ShortcutAction {
  if ((press.ctrlKey || press.metaKey) && !press.altKey && press.key.toLowerCase() === "k") return { kind: "openPalette" };
  if (press.inTextField || press.ctrlKey || press.metaKey || press.altKey) return { kind: "none" };
  if (press.key === "?") return { kind: "openHelp" };
  if (press.pendingGAt !== null && press.now - press.pendingGAt <= SEQUENCE_WINDOW_MS) {
    const target = goToShortcuts.find((shortcut) => shortcut.key === press.key.toLowerCase());
    if (target) return { kind: "goTo", href: target.href };
  }
  if (press.key === "g") return { kind: "startSequence" };
  return { kind: "none" };
}

/** The next highlighted option of a list of `count` when the user presses an arrow, Home or End (wrapping around). */
export function movedHighlight(current: number, count: number, key: string): number {
  if (count === 0) return -1;
  switch (key) {
    case "ArrowDown":
      return current < 0 ? 0 : (current + 1) % count;
    case "ArrowUp":
      return current <= 0 ? count - 1 : current - 1;
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return current;
  }
}
