// How labellers' answers to one item settle: agreed when enough of them give the same label, disputed when a third
// labeller sided with neither, otherwise waiting for one more labeller. Pure, shared by the service and its tests.

export type LabelValue = number | string;

export type ItemVerdict =
  | { status: "agreed"; label: LabelValue }
  | { status: "disputed" }
  /** `needed`: how many more labels the item waits for. */
  | { status: "open"; needed: number };

const same = (a: LabelValue, b: LabelValue) => String(a) === String(b);

/**
 * The verdict on an item from its labels in the order they were given (skips left out). One label required: the first
 * label is the answer. Two: two equal labels agree; two different ones call a third, whose label agrees with one of
 * them (majority) or leaves the item disputed.
 */
export function itemVerdict(labels: readonly LabelValue[], labelsRequired: 1 | 2): ItemVerdict {
  if (labelsRequired === 1) return labels.length ? { status: "agreed", label: labels[0]! } : { status: "open", needed: 1 };
  if (labels.length < 2) return { status: "open", needed: 2 - labels.length };
  const [first, second] = labels as [LabelValue, LabelValue];
  if (same(first, second)) return { status: "agreed", label: first };
  if (labels.length < 3) return { status: "open", needed: 1 };
  const third = labels[2]!;
  if (same(third, first)) return { status: "agreed", label: first };
  if (same(third, second)) return { status: "agreed", label: second };
  return { status: "disputed" };
}

/** Share of items labelled by two people whose first two labels were equal; null when no item has two labels yet. */
export function agreementRate(itemsLabels: readonly (readonly LabelValue[])[]): { rate: number | null; pairs: number; agreed: number } {
  let pairs = 0;
  let agreed = 0;
  for (const labels of itemsLabels) {
    if (labels.length < 2) continue;
    pairs += 1;
    if (same(labels[0]!, labels[1]!)) agreed += 1;
  }
  return { rate: pairs ? agreed / pairs : null, pairs, agreed };
}
