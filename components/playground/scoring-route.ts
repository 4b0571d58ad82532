// Where a run goes: a single row is scored on the page's own thread (no worker round trip, which costs more than a
// one-row forest itself), anything larger in the scoring worker so the page never freezes under a batch.
import type { Feeds } from "@/lib/model-inputs";

/** Rows in a set of feeds: the first dimension of its tensors (every input of one run shares it). */
export function feedRows(feeds: Feeds): number {
  const first = Object.values(feeds)[0];
  if (!first) return 0;
  // A scalar or 1-D input is one row; a tensor with a zero first dimension holds none.
  return first.dims.length === 0 ? 1 : first.dims[0]!;
}

export type ScoringPlace = "page" | "worker";

/** Exactly one row runs on the page; empty feeds go to the worker too, whose ORT answers them with its own error. */
export function scoringPlace(feeds: Feeds): ScoringPlace {
  return feedRows(feeds) === 1 ? "page" : "worker";
}
