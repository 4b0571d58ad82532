// The number cells of the playground tools' tables (batch preview, champion/challenger, latency check, response curve)
// in the reader's locale, through next-intl's formatter: the digits the English toPrecision/toFixed wrote, with the
// reader's decimal separator ("0.50000" / "0,50000") and no grouping. Display only: the batch CSV download keeps
// JavaScript's own dot decimals (lib/csv).
import { useFormatter } from "next-intl";
import { useMemo } from "react";

export interface NumberCells {
  /** `value.toPrecision(digits)` in the reader's locale (exponent form where toPrecision uses it). */
  significant(value: number, digits: number): string;
  /** `value.toFixed(digits)` in the reader's locale. */
  fixed(value: number, digits: number): string;
  /** A probability as a percentage with one decimal ("97.3%" / "97,3 %"). */
  percent(value: number): string;
}

export function useNumberCells(): NumberCells {
  const format = useFormatter();
  return useMemo(
    () => ({
      significant(value, digits) {
        if (!Number.isFinite(value)) return String(value);
        // toPrecision switches to exponent form from 10^digits up and below 10^-6.
        const magnitude = Math.abs(Number(value.toPrecision(digits)));
        if (magnitude !== 0 && (magnitude >= 10 ** digits || magnitude < 1e-6)) {
          return format.number(value, { notation: "scientific", minimumFractionDigits: digits - 1, maximumFractionDigits: digits - 1 });
        }
        return format.number(value, { minimumSignificantDigits: digits, maximumSignificantDigits: digits, useGrouping: false });
      },
      fixed(value, digits) {
        if (!Number.isFinite(value)) return String(value);
        return format.number(value, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
      },
      percent(value) {
        if (!Number.isFinite(value)) return String(value);
        return format.number(value, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false });
      },
    }),
    [format],
  );
}
