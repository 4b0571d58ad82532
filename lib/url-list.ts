// Lists in one query-string value: items joined by commas, with commas (and the escape itself) inside
// an item escaped, so keys such as "f1, macro" survive a round trip through a shared link.

export function encodeUrlList(items: readonly string[]): string {
  return items.map((item) => item.replace(/%/g, "%25").replace(/,/g, "%2C")).join(",");
}

export function decodeUrlList(value: string | null | undefined): string[] {
  if (!value) return [];
  return value
    .split(",")
    .filter((item) => item !== "")
    .map((item) => item.replace(/%2C/gi, ",").replace(/%25/g, "%"));
}
