// Journey: a data scientist opens a run, previews its artifacts (text, JSON, CSV, image) as shareable links, and writes markdown notes.
import { crc32, deflateSync } from "node:zlib";
import { expect, test, type Page } from "@playwright/test";
import { createExperiment, logRun, uploadArtifact } from "./mlflow-api";

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
});
