// Names in page URLs (models, datasets) as the pages hand them to the API.

/** Next hands a dynamic segment over still percent-encoded in some cases; a malformed escape is left as typed. */
export function nameFromSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Registry and dataset versions, reviews: whole positive numbers (1, 2, …); anything else names no page. */
export function positiveIdFromSegment(segment: string): number | null {
  if (!/^\d+$/.test(segment)) return null;
  const id = Number(segment);
  return id >= 1 && Number.isSafeInteger(id) ? id : null;
}
