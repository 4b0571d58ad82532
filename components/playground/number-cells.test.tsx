// The playground tools' number cells in the reader's locale: English writes exactly what toPrecision/toFixed wrote
// before, French the same digits with a decimal comma (and its percent sign). (The batch CSV download's dot decimals
// are checked by e2e/playground-french.spec.ts.)
import { NextIntlClientProvider } from "next-intl";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { Locale } from "@/lib/i18n/locales";
import { useNumberCells, type NumberCells } from "./number-cells";

function cellsIn(locale: Locale, write: (cells: NumberCells) => string[]): string[] {
  let written: string[] = [];
  function Probe() {
    written = write(useNumberCells());
    return null;
  }
  renderToStaticMarkup(
    <NextIntlClientProvider locale={locale} messages={{}} timeZone="UTC">
      <Probe />
    </NextIntlClientProvider>,
  );
  return written;
}

const values = [0.5, 0.123456789, -2.5e-3, 7, 123.456, 98765.4321, 123456.789, 3.2e-8, -0.99995, 0];

describe("number cells", () => {
  it("say in English exactly what toPrecision and toFixed said", () => {
    for (const digits of [4, 5]) {
      const english = cellsIn("en", (cells) => values.map((v) => cells.significant(v, digits)));
      // toPrecision's exponent form ("1.2346e+5") is the one text Intl writes its own way ("1.2346E5").
      expect(english).toEqual(values.map((v) => v.toPrecision(digits).replace(/e\+?/, "E")));
    }
    for (const digits of [1, 3, 4]) {
      expect(cellsIn("en", (cells) => values.map((v) => cells.fixed(Math.abs(v), digits)))).toEqual(values.map((v) => Math.abs(v).toFixed(digits)));
    }
    expect(cellsIn("en", (cells) => [0.973, 0.0004, 1].map((p) => cells.percent(p)))).toEqual(["97.3%", "0.0%", "100.0%"]);
  });

  it("say in French the same digits with a decimal comma, never grouped", () => {
    expect(cellsIn("fr", (cells) => [cells.significant(0.5, 5), cells.significant(98765.4321, 5), cells.significant(123456.789, 5), cells.significant(-2.5e-3, 4)])).toEqual([
      "0,50000",
      "98765",
      "1,2346E5",
      "-0,002500",
    ]);
    expect(cellsIn("fr", (cells) => [cells.fixed(0.1234, 3), cells.fixed(1234.56, 1), cells.fixed(0.05, 4)])).toEqual(["0,123", "1234,6", "0,0500"]);
    expect(cellsIn("fr", (cells) => [cells.percent(0.973)])).toEqual(["97,3\u00a0%"]);
  });

});
