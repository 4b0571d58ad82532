// storeThenCommit: a version's file is stored before the transaction that records it, and what becomes of it when that
// transaction does not go through — removed when it certainly did not commit, kept when it may have. In the dataset
// folder (the object storage's case runs in server/artifacts/object-storage.test.ts).
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestStudio, type TestStudio } from "../testing/test-database";
import { LocalDatasetFileStore, storeThenCommit } from "./dataset-files";
import { absoluteVersionPath, newTempPath, newVersionFilePath } from "./dataset-store";

const DIGEST = "a".repeat(64);

describe("storing a version's file before its row", () => {
  let studio: TestStudio;
  let root: string;
  let files: LocalDatasetFileStore;

  beforeAll(async () => {
    studio = await createTestStudio("pglite");
    root = await mkdtemp(path.join(os.tmpdir(), "studio-store-commit-"));
    files = new LocalDatasetFileStore(root);
  });
  afterAll(async () => {
    await studio?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  async function tempFile(): Promise<string> {
    const temp = await newTempPath(root, ".csv");
    await writeFile(temp, "a,b\n1,2\n");
    return temp;
  }

  it("keeps the file a committed row uses, and removes it (and its upload folder) when the row is not its", async () => {
    const kept = newVersionFilePath(7, DIGEST, "csv");
    const result = await storeThenCommit(studio.db, files, await tempFile(), kept, { commit: async () => ({ created: true }), usesFile: (r) => r.created });
    expect(result).toEqual({ created: true });
    expect(existsSync(absoluteVersionPath(root, kept))).toBe(true);
    // The same bytes were registered meanwhile: the answer is the other version, and this copy goes.
    const unused = newVersionFilePath(7, DIGEST, "csv");
    await storeThenCommit(studio.db, files, await tempFile(), unused, { commit: async () => ({ created: false }), usesFile: (r) => r.created });
    expect(existsSync(path.dirname(absoluteVersionPath(root, unused)))).toBe(false);
    expect(await readdir(path.join(root, ".tmp"))).toEqual([]);
  });

  it("removes the file when the transaction fails, whether the database refused it or went away before committing", async () => {
    for (const failure of [new Error("refused at commit"), new Error("Connection terminated unexpectedly")]) {
      const storagePath = newVersionFilePath(8, DIGEST, "csv");
      await expect(
        storeThenCommit(studio.db, files, await tempFile(), storagePath, {
          commit: async () => {
            expect(existsSync(absoluteVersionPath(root, storagePath))).toBe(true);
            throw failure;
          },
          usesFile: () => true,
        }),
      ).rejects.toBe(failure);
      // A lost connection leaves a doubt; the database, asked, says no version names the file.
      expect(existsSync(path.dirname(absoluteVersionPath(root, storagePath)))).toBe(false);
    }
    expect(await readdir(path.join(root, ".tmp"))).toEqual([]);
  });

  it("keeps the file, and says so, when the connection went while committing and the database cannot say whether it did", async () => {
    const gone = await createTestStudio("pglite");
    await gone.close();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const storagePath = newVersionFilePath(9, DIGEST, "csv");
      const lost = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
      await expect(storeThenCommit(gone.db, files, await tempFile(), storagePath, { commit: async () => Promise.reject(lost), usesFile: () => true })).rejects.toBe(lost);
      expect(existsSync(absoluteVersionPath(root, storagePath))).toBe(true);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(`kept dataset file ${storagePath}`));
    } finally {
      warn.mockRestore();
    }
  });
});
