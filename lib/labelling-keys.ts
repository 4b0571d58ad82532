// The labelling page's keys: 1–9 pick the first nine classes in order, s skips, u or Backspace undoes.

export type LabellingKeyAction = { kind: "label"; label: string } | { kind: "skip" } | { kind: "undo" };

/** The action a key press means, or null; presses with Ctrl, Alt or Meta are the browser's, never the page's. */
export function labellingKeyAction(
  event: { key: string; ctrlKey?: boolean; altKey?: boolean; metaKey?: boolean },
  classes: readonly string[],
): LabellingKeyAction | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  if (/^[1-9]$/.test(event.key)) {
    const label = classes[Number(event.key) - 1];
    return label === undefined ? null : { kind: "label", label };
  }
  const key = event.key.toLowerCase();
  if (key === "s") return { kind: "skip" };
  if (key === "u" || event.key === "Backspace") return { kind: "undo" };
  return null;
}

/** The key shown on a class's button (the first nine classes have one). */
export function classKey(index: number): string | null {
  return index < 9 ? String(index + 1) : null;
}
