// How the labelling pages write an agreement rate: a whole percentage, or a dash before any item was labelled twice.
export function formatAgreement(rate: number | null): string {
  return rate === null ? "—" : `${Math.round(rate * 100)}%`;
}
