// Which two versions the champion-vs-challenger form offers first.
import { describe, expect, it } from "vitest";
import { defaultPair } from "./champion-challenger-csv";

describe("defaultPair", () => {
  it("takes the champion and challenger aliases when set", () => {
    expect(defaultPair([{ version: "3", aliases: [] }, { version: "2", aliases: ["challenger"] }, { version: "1", aliases: ["champion"] }])).toEqual({ champion: "1", challenger: "2" });
  });

  it("else compares the newest version (challenger) with the one before it (champion)", () => {
    expect(defaultPair([{ version: "1", aliases: [] }, { version: "10", aliases: [] }, { version: "9", aliases: ["production"] }])).toEqual({ champion: "9", challenger: "10" });
  });

  it("never pairs a version with itself when the challenger alias is on the champion", () => {
    expect(defaultPair([{ version: "2", aliases: [] }, { version: "1", aliases: ["champion", "challenger"] }])).toEqual({ champion: "1", challenger: "2" });
  });
});
