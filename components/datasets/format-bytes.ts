// How the dataset pages write sizes, counts and shares: short, locale-independent, the same on server and browser.

const units = ["B", "KB", "MB", "GB", "TB"] as const;

/** Decimal units (1 MB = 1,000,000 bytes), as file managers and upload dialogs show them. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  if (unit === 0) return `${value} B`;
  return `${value >= 100 ? Math.round(value) : Number(value.toFixed(1))} ${units[unit]}`;
}

/** Whole numbers with thousands separators ("1,000"); "—" when unknown. */
export function formatCount(count: number | null | undefined): string {
  if (count === null || count === undefined || !Number.isFinite(count)) return "—";
  return count.toLocaleString("en-US");
}

/** A share in 0..1 as a percentage; tiny non-zero shares say "<0.1%" instead of rounding to a misleading 0 (or 100). */
export function formatShare(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return "—";
  const percent = share * 100;
  const smallest = 10 ** -digits;
  if (percent > 0 && percent < smallest) return `<${smallest.toFixed(digits)}%`;
  if (percent < 100 && percent > 100 - smallest) return `>${(100 - smallest).toFixed(digits)}%`;
  return `${Number(percent.toFixed(digits))}%`;
}
