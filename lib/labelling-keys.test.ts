// The keys a labeller learns once: digits for classes in order, s to skip, u or Backspace to undo, nothing with modifiers.
import { describe, expect, it } from "vitest";
import { classKey, labellingKeyAction } from "./labelling-keys";

describe("labellingKeyAction", () => {
  const classes = ["setosa", "versicolor", "virginica"];
  it("maps 1..n to the classes in order and ignores digits beyond them", () => {
    expect(labellingKeyAction({ key: "1" }, classes)).toEqual({ kind: "label", label: "setosa" });
    expect(labellingKeyAction({ key: "3" }, classes)).toEqual({ kind: "label", label: "virginica" });
    expect(labellingKeyAction({ key: "4" }, classes)).toBeNull();
    expect(labellingKeyAction({ key: "0" }, classes)).toBeNull();
  });
  it("skips with s, undoes with u or Backspace, in either case", () => {
    expect(labellingKeyAction({ key: "s" }, classes)).toEqual({ kind: "skip" });
    expect(labellingKeyAction({ key: "S" }, classes)).toEqual({ kind: "skip" });
    expect(labellingKeyAction({ key: "u" }, classes)).toEqual({ kind: "undo" });
    expect(labellingKeyAction({ key: "Backspace" }, classes)).toEqual({ kind: "undo" });
  });
  it("leaves browser shortcuts alone", () => {
    expect(labellingKeyAction({ key: "1", ctrlKey: true }, classes)).toBeNull();
    expect(labellingKeyAction({ key: "s", metaKey: true }, classes)).toBeNull();
    expect(labellingKeyAction({ key: "u", altKey: true }, classes)).toBeNull();
  });
  it("shows keys on the first nine classes only", () => {
    expect([0, 8, 9].map(classKey)).toEqual(["1", "9", null]);
  });
});
