// Sizes, counts and shares as the dataset pages print them.
import { describe, expect, it } from "vitest";
import { formatBytes, formatCount, formatShare } from "./format-bytes";

describe("formatBytes", () => {
  it("keeps bytes whole and steps by 1000", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(1000)).toBe("1 KB");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(150_000_000)).toBe("150 MB");
    expect(formatBytes(2_147_483_648)).toBe("2.1 GB");
  });
  it("says unknown for nonsense", () => {
    expect(formatBytes(-1)).toBe("—");
    expect(formatBytes(Number.NaN)).toBe("—");
  });
});

describe("formatCount and formatShare", () => {
  it("separates thousands and marks unknown counts", () => {
    expect(formatCount(1_000_000)).toBe("1,000,000");
    expect(formatCount(null)).toBe("—");
  });
  it("prints shares as percentages with one decimal at most", () => {
    expect(formatShare(1)).toBe("100%");
    expect(formatShare(0.375)).toBe("37.5%");
    expect(formatShare(1 / 3)).toBe("33.3%");
    expect(formatShare(0)).toBe("0%");
  });
});

describe("formatCount and formatShare", () => {
  it("groups thousands and says absent values with a dash", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCount(0)).toBe("0");
    expect(formatCount(null)).toBe("—");
    expect(formatCount(Number.NaN)).toBe("—");
  });

  it("writes shares as percentages without rounding tiny or near-total shares to 0% or 100%", () => {
    expect(formatShare(0.1234)).toBe("12.3%");
    expect(formatShare(0)).toBe("0%");
    expect(formatShare(1)).toBe("100%");
    expect(formatShare(0.00001)).toBe("<0.1%");
    expect(formatShare(0.99999)).toBe(">99.9%");
    expect(formatShare(0.5, 0)).toBe("50%");
    expect(formatShare(undefined)).toBe("—");
  });
});

describe("formatBytes", () => {
  it("uses decimal units with one decimal below 10", () => {
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(1500)).toBe("1.5 KB");
    expect(formatBytes(150_000_000)).toBe("150 MB");
    expect(formatBytes(2_000_000_000)).toBe("2 GB");
    expect(formatBytes(-1)).toBe("—");
  });
});

