// pg_snapshot text and the transactions that separate two snapshots, against snapshots PostgreSQL prints.
import { describe, expect, it } from "vitest";
import { finishedIn, MAX_XID_RANGE, parsePgSnapshot, xidsFinishedBetween, type PgSnapshot } from "./pg-snapshot";

const snap = (text: string): PgSnapshot => {
  const parsed = parsePgSnapshot(text);
  if (!parsed) throw new Error(`not a snapshot: ${text}`);
  return parsed;
};

describe("parsePgSnapshot", () => {
  it("reads xmin, xmax and the in-progress list", () => {
    expect(snap("740:740:")).toEqual({ xmin: 740, xmax: 740, inProgress: new Set() });
    expect(snap("740:745:740,743")).toEqual({ xmin: 740, xmax: 745, inProgress: new Set([740, 743]) });
  });

  it("refuses what is not a snapshot", () => {
    for (const text of ["", "740", "740:741", "a:741:", "741:740:", "1:2:x", "-1:2:", "1:2:3:", "1:99999999999999999999:"]) {
      expect(parsePgSnapshot(text), text).toBeNull();
    }
  });
});

describe("finishedIn", () => {
  it("sees finished everything below xmin, nothing from xmax on, and between them what is not in progress", () => {
    const s = snap("740:745:740,743");
    expect([739, 740, 741, 742, 743, 744, 745, 746].map((x) => finishedIn(s, x))).toEqual([true, false, true, true, false, true, false, false]);
  });
});

describe("xidsFinishedBetween", () => {
  it("is empty for the same snapshot", () => {
    expect(xidsFinishedBetween(snap("740:745:740,743"), snap("740:745:740,743"), 10)).toEqual([]);
  });

  it("lists the transactions that committed in between: new ones and ones that were in progress", () => {
    // 740 and 743 were running; then 743 committed, 745 and 746 started and committed, 747 started and still runs.
    expect(xidsFinishedBetween(snap("740:745:740,743"), snap("740:748:740,747"), 10)).toEqual([743, 745, 746]);
  });

  it("is symmetric, so a snapshot remembered out of order is still compared exactly", () => {
    const a = snap("740:745:740,743");
    const b = snap("745:750:748");
    expect(xidsFinishedBetween(a, b, 10)).toEqual([740, 743, 745, 746, 747, 749]);
    expect(xidsFinishedBetween(b, a, 10)).toEqual([740, 743, 745, 746, 747, 749]);
  });

  it("gives up past the limit or past the longest range it walks", () => {
    expect(xidsFinishedBetween(snap("100:100:"), snap("103:103:"), 3)).toEqual([100, 101, 102]);
    expect(xidsFinishedBetween(snap("100:100:"), snap("104:104:"), 3)).toBeNull();
    // A transaction held open since xid 1 keeps xmin there; one more commit far above is still found...
    expect(xidsFinishedBetween(snap(`1:${MAX_XID_RANGE}:1`), snap(`1:${MAX_XID_RANGE + 1}:1`), 3)).toEqual([MAX_XID_RANGE]);
    // ...until the range is too long to walk.
    expect(xidsFinishedBetween(snap(`1:${MAX_XID_RANGE + 1}:1`), snap(`1:${MAX_XID_RANGE + 2}:1`), 3)).toBeNull();
  });
});
