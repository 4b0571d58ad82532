// Journey: a data scientist opens a run, previews its artifacts (text, JSON, CSV, image) as shareable links, and writes markdown notes;
// renames a run, edits its tags, deletes and restores it, follows nested runs both ways; a viewer sees no write controls.
import { crc32, deflateSync } from "node:zlib";
import { expect, test, type Page } from "@playwright/test";
import { call, createExperiment, logRun, uploadArtifact } from "./mlflow-api";
import { E2E_DEMO_PASSWORD } from "./credentials";
import { expectNoSeriousViolations } from "./axe";

/** A real PNG of width × height red pixels, built from its chunks so the test needs no binary fixture. */
function redPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const rows = Buffer.concat(Array.from({ length: height }, () => Buffer.from([0, ...Array.from({ length: width }, () => [255, 0, 0]).flat()])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

function preview(page: Page, path: string) {
  return page.getByRole("region", { name: `Preview of ${path}` });
}

test("preview a run's text, JSON, CSV and image artifacts by link, and write safe markdown notes", async ({ page, request }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  const experimentId = await createExperiment(request, `Run page journey ${Date.now()}`);
  const { runId, artifactUri } = await logRun(request, experimentId, { runName: "previewed", params: { lr: "0.01" }, metrics: { acc: [0.5, 0.8, 0.9] } });
  await uploadArtifact(request, artifactUri, "summary.txt", "epoch 1 loss 0.50\nepoch 2 loss 0.31\n");
  await uploadArtifact(request, artifactUri, "metrics.json", '{"acc":0.9,"classes":["cat","dog"]}');
  await uploadArtifact(request, artifactUri, "eval/preds.csv", 'id,label,score\n1,cat,0.91\n2,dog,"0.4, low"\n');
  await uploadArtifact(request, artifactUri, "plots/red.png", redPng(3, 2));

  const runUrl = `/experiments/${experimentId}/runs/${runId}`;
  await page.goto(runUrl);
  await expect(page.getByRole("heading", { level: 1, name: "previewed" })).toBeVisible();
  await expect(page.getByText("Select a file in the tree to preview it here.")).toBeVisible();
  const tree = page.getByRole("navigation", { name: "Artifact files" });

  // Text: shown as it is, with a download link to the proxy beside it.
  await tree.getByRole("link", { name: "summary.txt", exact: true }).click();
  await expect(page).toHaveURL(/[?&]artifact=summary\.txt/);
  await expect(preview(page, "summary.txt").locator("pre")).toHaveText("epoch 1 loss 0.50\nepoch 2 loss 0.31\n");
  await expect(preview(page, "summary.txt").getByRole("link", { name: "Download" })).toHaveAttribute(
    "href",
    `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/summary.txt`,
  );

  // JSON: pretty-printed.
  await tree.getByRole("link", { name: "metrics.json", exact: true }).click();
  await expect(preview(page, "metrics.json").locator("pre")).toHaveText('{\n  "acc": 0.9,\n  "classes": [\n    "cat",\n    "dog"\n  ]\n}');

  // CSV: a table, quoted commas kept in their cell.
  await tree.getByRole("button", { name: "eval/" }).click();
  await tree.getByRole("link", { name: "preds.csv", exact: true }).click();
  const csvTable = preview(page, "eval/preds.csv").getByRole("table", { name: "Contents of eval/preds.csv" });
  await expect(csvTable.getByRole("columnheader")).toHaveText(["id", "label", "score"]);
  await expect(csvTable.getByRole("row").nth(2).getByRole("cell")).toHaveText(["2", "dog", "0.4, low"]);

  // Image: drawn from the proxy at its real size.
  await tree.getByRole("button", { name: "plots/" }).click();
  await tree.getByRole("link", { name: "red.png", exact: true }).click();
  const image = preview(page, "plots/red.png").getByRole("img", { name: "Artifact image plots/red.png" });
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(3);
  await expect(page).toHaveURL(/[?&]artifact=plots%2Fred\.png/);

  // A preview is a link: reloading, or opening the link afresh, shows the same file with its folder open.
  await page.reload();
  await expect.poll(() => preview(page, "plots/red.png").getByRole("img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(3);
  await expect(page.getByRole("navigation", { name: "Artifact files" }).getByRole("link", { name: "red.png", exact: true })).toHaveAttribute("aria-current", "true");
  await page.goto(`${runUrl}?artifact=${encodeURIComponent("eval/preds.csv")}`);
  await expect(preview(page, "eval/preds.csv").getByRole("cell", { name: "0.4, low" })).toBeVisible();
  await page.goto(`${runUrl}?artifact=metrics.json`);
  await expect(preview(page, "metrics.json").locator("pre")).toContainText('"classes": [');

  // Notes: markdown is rendered, HTML is shown as text and never runs, a javascript: link is not a link.
  const notes = page.getByRole("region", { name: "Notes" });
  await expect(notes).toContainText("No notes yet.");
  await notes.getByRole("button", { name: "Edit notes" }).click();
  await notes.getByLabel("Notes (markdown)").fill("The **deeper** model wins.\n\n<script>alert(1)</script>\n\n[sneaky](javascript:alert(2))");
  await notes.getByRole("button", { name: "Save" }).click();
  await expect(notes.locator("strong")).toHaveText("deeper");
  await expect(notes).toContainText("<script>alert(1)</script>");
  await expect(notes.getByText("sneaky")).toBeVisible();
  await expect(notes.getByRole("link", { name: "sneaky" })).toHaveCount(0);
  expect(await page.evaluate(() => [...document.querySelectorAll("script")].filter((s) => s.textContent?.includes("alert(")).length)).toBe(0);
  // Shown as notes, not repeated as a raw tag.
  await expect(page.getByRole("region", { name: "Tags" })).not.toContainText("mlflow.note.content");

  // Saved on the server: a reload shows them again, and editing starts from them.
  await page.reload();
  await expect(notes.locator("strong")).toHaveText("deeper");
  await notes.getByRole("button", { name: "Edit notes" }).click();
  await expect(notes.getByLabel("Notes (markdown)")).toHaveValue(/^The \*\*deeper\*\* model wins\./);
  await notes.getByRole("button", { name: "Cancel" }).click();
  await expect(notes.locator("strong")).toHaveText("deeper");
  expect(dialogs).toEqual([]);
  await expectNoSeriousViolations(page);
});

test("rename a run, edit its tags, delete and restore it, and follow nested runs; a viewer sees no write controls", async ({ page, request, browser }) => {
  const experimentId = await createExperiment(request, `Run management journey ${Date.now()}`);
  const { runId: parentId } = await logRun(request, experimentId, { runName: "sweep-parent", params: {}, metrics: { loss: [0.9, 0.5] } });
  const { runId: childId } = await logRun(request, experimentId, { runName: "trial-a", params: { lr: "0.1" }, metrics: { loss: [0.7] } });
  await call(request, "POST", "runs/set-tag", { run_id: childId, key: "mlflow.parentRunId", value: parentId });
  await call(request, "POST", "runs/set-tag", { run_id: childId, key: "team", value: "vision" });

  // Nested runs: the child links its parent, the parent lists its child.
  await page.goto(`/experiments/${experimentId}/runs/${childId}`);
  const family = page.getByRole("region", { name: "Nested runs" });
  await family.getByRole("link", { name: "sweep-parent" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "sweep-parent" })).toBeVisible();
  await page.getByRole("list", { name: "Child runs" }).getByRole("link", { name: "trial-a" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "trial-a" })).toBeVisible();

  // Rename.
  await page.getByRole("button", { name: "Rename run" }).click();
  await page.getByLabel("New run name").fill("trial-a-best");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "trial-a-best" })).toBeVisible();

  // Tags: change one, add one, delete one; MLflow's own tags have no edit buttons.
  const tags = page.getByRole("region", { name: "Tags" });
  await tags.getByRole("button", { name: "Edit tag team" }).click();
  await tags.getByLabel("Value of team").fill("speech");
  await tags.getByRole("button", { name: "Save tag" }).click();
  await expect(tags.getByRole("row", { name: "team speech" })).toBeVisible();
  await tags.getByRole("button", { name: "Add tag" }).click();
  await tags.getByLabel("Tag key").fill("dataset split");
  await tags.getByLabel("Tag value").fill("holdout <b>v2</b>");
  await tags.getByRole("button", { name: "Save tag" }).click();
  await expect(tags.getByRole("cell", { name: "holdout <b>v2</b>" })).toBeVisible();
  await tags.getByRole("button", { name: "Delete tag team" }).click();
  await expect(tags.getByRole("cell", { name: "speech" })).toHaveCount(0);
  await expect(tags.getByRole("button", { name: "Edit tag mlflow.parentRunId" })).toHaveCount(0);
  const wire = await call<{ run: { info: { run_name: string }; data: { tags: { key: string; value: string }[] } } }>(request, "GET", `runs/get?run_id=${childId}`);
  expect(wire.run.info.run_name).toBe("trial-a-best");
  expect(wire.run.data.tags).toContainEqual({ key: "dataset split", value: "holdout <b>v2</b>" });
  expect(wire.run.data.tags.some((t) => t.key === "team")).toBe(false);

  // Delete asks first; "Keep it" keeps the run; confirming hides it from the runs table; Restore brings it back.
  await page.getByRole("button", { name: "Delete run" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("Delete trial-a-best?");
  await page.getByRole("button", { name: "Keep it" }).click();
  await expect(page.getByRole("alertdialog")).toHaveCount(0);
  await page.getByRole("button", { name: "Delete run" }).click();
  await page.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page.getByRole("button", { name: "Restore run" })).toBeVisible();
  await expect(page.getByText("This run is deleted")).toBeVisible();
  await expect(tags.getByRole("button", { name: "Add tag" })).toHaveCount(0);
  expect((await call<{ run: { info: { lifecycle_stage: string } } }>(request, "GET", `runs/get?run_id=${childId}`)).run.info.lifecycle_stage).toBe("deleted");
  await expectNoSeriousViolations(page);
  await page.getByRole("button", { name: "Restore run" }).click();
  await expect(page.getByRole("button", { name: "Delete run" })).toBeVisible();
  expect((await call<{ run: { info: { lifecycle_stage: string } } }>(request, "GET", `runs/get?run_id=${childId}`)).run.info.lifecycle_stage).toBe("active");

  // A viewer (the demo's victor) reads the same page without any write control.
  const viewerContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const viewer = await viewerContext.newPage();
  await viewer.goto("/sign-in");
  await viewer.getByLabel("Username").fill("victor");
  await viewer.getByLabel("Password").fill(E2E_DEMO_PASSWORD);
  await viewer.getByRole("button", { name: "Sign in" }).click();
  await expect(viewer.getByRole("heading", { level: 1, name: "Experiments" })).toBeVisible();
  await viewer.goto(`/experiments/${experimentId}/runs/${childId}`);
  await expect(viewer.getByRole("heading", { level: 1, name: "trial-a-best" })).toBeVisible();
  await expect(viewer.getByRole("region", { name: "Tags" }).getByRole("cell", { name: "dataset split" })).toBeVisible();
  await expect(viewer.getByRole("button", { name: /Rename|Delete|Restore|Add tag|Edit/ })).toHaveCount(0);
  await viewerContext.close();
});
