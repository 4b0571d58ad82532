// Journey: try a registered model in the browser. onnxruntime-web (served by the studio, nothing from a CDN) runs
// single rows on the cross-origin isolated page and batches in a worker; a prediction equals onnxruntime-node's and is
// explained; a 1,000-row CSV is scored with progress to 100% and downloaded; champion and challenger answer the same
// inputs side by side.
import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { holdAppScripts } from "./hold-app-scripts";

const irisRows = readFileSync("fixtures/datasets/iris.test.csv", "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split(",").slice(0, 4).map(Number));

async function nodeLabels(rows: number[][]): Promise<number[]> {
  const session = await ort.InferenceSession.create("fixtures/models/iris-logreg.onnx");
  const out = await session.run({ input: new ort.Tensor("float32", Float32Array.from(rows.flat()), [rows.length, 4]) });
  return Array.from(out.label.data as BigInt64Array, Number);
}

test("predict one row and score a 1,000-row CSV in the browser, as onnxruntime-node does", async ({ page, baseURL }) => {
  const elsewhere: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).origin !== new URL(baseURL!).origin && !request.url().startsWith("blob:") && !request.url().startsWith("data:")) elsewhere.push(request.url());
  });
  const ortFiles: string[] = [];
  const wasmEncodings: string[] = [];
  page.on("response", (response) => {
    if (new URL(response.url()).pathname.startsWith("/ort/")) ortFiles.push(new URL(response.url()).pathname.split("/").pop()!);
    if (new URL(response.url()).pathname.endsWith(".wasm")) wasmEncodings.push(`${response.headers()["content-encoding"] ?? "none"} ${response.headers()["content-length"] ?? "streamed"}`);
  });
  // The document itself (as the server sends it, before any script runs) asks the browser for ORT's runtime and the
  // model's bytes in its head.
  const html = await (await page.request.get("/models/iris-logreg/versions/1/playground")).text();
  const head = html.slice(0, html.indexOf("</head>"));
  expect(head).toMatch(/<link rel="preload" href="\/ort\/[^"]+\/ort-wasm-simd-threaded\.wasm" as="fetch"/);
  expect(head).toMatch(/<link rel="modulepreload" href="\/ort\/[^"]+\/ort-wasm-simd-threaded\.mjs"/);
  expect(head).toMatch(/<link rel="preload" href="\/api\/models\/iris-logreg\/versions\/1\/model\.onnx\?digest=[0-9a-f]{64}" as="fetch"/);
  await page.goto("/models/iris-logreg/versions/1/playground");
  // (React may repeat a hint when it hydrates; the browser fetches a URL once either way.)
  await expect(page.locator('head link[rel="preload"][as="fetch"][href$="/ort-wasm-simd-threaded.wasm"]').first()).toBeAttached();
  await expect(page.locator('head link[rel="modulepreload"][href$="/ort-wasm-simd-threaded.mjs"]').first()).toBeAttached();
  // The model's URL names its bytes (their sha256), so it may be cached for good.
  const modelPreload = page.locator('head link[rel="preload"][as="fetch"][href^="/api/models/iris-logreg/versions/1/model.onnx?digest="]').first();
  await expect(modelPreload).toBeAttached();
  const modelUrl = (await modelPreload.getAttribute("href"))!;
  expect(modelUrl).toMatch(/\?digest=[0-9a-f]{64}$/);
  const runtime = page.getByLabel("Runtime");
  await expect(runtime).toContainText(/Model loaded in \d+ ms \(ready \d+ ms after the page was opened\)/, { timeout: 30_000 });
  await expect(runtime).toContainText("Cross-origin isolated: yes");
  // Single rows on the page, batches in a worker that loads the same model right after.
  await expect(runtime.getByTestId("scoring-places")).toHaveText(/Single rows on this page; batches in a worker with \d+ threads?/, { timeout: 30_000 });

  const row = irisRows[20]!;
  for (const [i, value] of row.entries()) await page.getByLabel(`x${i}`, { exact: true }).fill(String(value));
  await page.getByRole("button", { name: "Predict" }).click();
  const [expected] = await nodeLabels([row]);
  await expect(page.getByRole("region", { name: "Prediction" }).getByTestId("predicted-label")).toHaveText(String(expected));
  await expect(page.getByTestId("latency")).toContainText("scored on this page");
  await expectNoSeriousViolations(page);

  const rows = Array.from({ length: 1000 }, (_, i) => irisRows[i % irisRows.length]!);
  const csv = ["x0,x1,x2,x3", ...rows.map((r) => r.join(","))].join("\n");
  await page.getByLabel("CSV file (drop it here or choose it)").setInputFiles({ name: "iris-1000.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Score file" }).click();
  await expect(page.getByRole("status").filter({ hasText: "rows scored" })).toHaveText(/1,000 of 1,000 rows scored \(100%\)/, { timeout: 30_000 });
  await expect(page.getByRole("table", { name: "Scored rows (preview)" })).toBeVisible();

  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("button", { name: /Download/ }).click();
  const scored = readFileSync(await (await downloadPromise).path(), "utf8").trim().split(/\r?\n/);
  expect(scored).toHaveLength(1001);
  const header = scored[0]!.split(",");
  const labelColumn = header.findIndex((h) => /label/i.test(h));
  const labels = scored.slice(1).map((line) => Number(line.split(",")[labelColumn]));
  expect(labels).toEqual(await nodeLabels(rows));

  await page.getByRole("button", { name: "Measure latency" }).click();
  const latency = page.getByRole("table", { name: "Latency" });
  await expect(latency).toBeVisible({ timeout: 60_000 });
  expect(Number(await latency.getByTestId("single-p50").textContent())).toBeGreaterThan(0);
  expect(Number(await latency.getByTestId("single-mean").textContent())).toBeGreaterThan(0);
  expect(Number(await latency.getByTestId("batch-ms").textContent())).toBeGreaterThan(0);
  // The warm-up says how long it ran: at least its 3,000 runs, and whether its speed had settled when timing began.
  const warmUp = page.getByTestId("warm-up");
  await expect(warmUp).toHaveText(/^Warmed up with [\d,]+ runs in \d+\.\d s(, until it stopped getting faster\.|; it was still getting faster)/);
  expect(Number(await warmUp.getAttribute("data-runs"))).toBeGreaterThanOrEqual(3000);
  expect(Number(await warmUp.getAttribute("data-ms"))).toBeGreaterThanOrEqual(1000);

  // Everything came from the studio (ORT's runtime from /ort/), nothing from elsewhere.
  expect(elsewhere).toEqual([]);
  expect(ortFiles.filter((f) => f === "ort-wasm-simd-threaded.wasm").length).toBeGreaterThanOrEqual(1);
  // The server sent the gzip it made once at start (scripts/ort-wasm.mjs: a Content-Length, where Next.js's own
  // compression streams), and ORT compiled what the browser inflated.
  expect(wasmEncodings.length).toBeGreaterThanOrEqual(1);
  for (const sent of wasmEncodings) expect(sent).toMatch(/^gzip \d+$/);

  // A second visit: the model's bytes and ORT's runtime come from the browser's HTTP cache, not the server.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const served = new Map<string, boolean>();
  cdp.on("Network.responseReceived", (event) => {
    const url = new URL(event.response.url);
    if (url.pathname.endsWith("/model.onnx") || url.pathname.endsWith(".wasm")) served.set(url.pathname + url.search, event.response.fromDiskCache === true);
  });
  await page.goto("/models/iris-logreg/versions/1/playground");
  await expect(runtime).toContainText(/Model loaded in \d+ ms/, { timeout: 30_000 });
  expect(served.get(modelUrl)).toBe(true);
  expect([...served].filter(([path]) => path.endsWith("/ort-wasm-simd-threaded.wasm")).every(([, cached]) => cached)).toBe(true);
});

test("Predict is answered by the server while the page's runtime loads, then by the page, with the same answer", async ({ page }) => {
  // ORT's wasm is held back until the first prediction is on screen, so the server's onnxruntime-node must answer it.
  let releaseWasm: () => void = () => undefined;
  const wasmHeld = new Promise<void>((resolve) => (releaseWasm = resolve));
  await page.route("**/ort-wasm-simd-threaded.wasm", async (route) => {
    await wasmHeld;
    await route.continue();
  });
  // credit-logreg: one input per column, numbers and text.
  await page.goto("/models/credit-logreg/versions/1/playground");
  const runtime = page.getByLabel("Runtime");
  await expect(runtime.getByTestId("predict-ready")).toContainText("answered by the server");
  await page.getByLabel("loan_amount", { exact: true }).fill("7311");
  const predictionRegion = page.getByRole("region", { name: "Prediction" });
  const summary = async () => (await predictionRegion.innerText()).split("Latency:")[0]!.trim();
  await page.getByRole("button", { name: "Predict" }).click();
  await expect(page.getByTestId("latency")).toContainText("scored on the server by onnxruntime-node");
  await expect(predictionRegion.getByTestId("predicted-label")).toHaveText(/\S/);
  const byServer = await summary();
  await expect(runtime).toContainText("Loading the model…");

  releaseWasm();
  await expect(runtime).toContainText(/Model loaded in \d+ ms/, { timeout: 30_000 });
  await page.getByRole("button", { name: "Predict" }).click();
  await expect(page.getByTestId("latency")).toContainText("scored on this page");
  expect(await summary()).toBe(byServer);
});

test("the form and the JSON follow each other: a field changed shows in Monaco, JSON typed there fills the form", async ({ page }) => {
  await page.goto("/models/iris-logreg/versions/1/playground");
  await expect(page.getByLabel("Runtime")).toContainText(/Model loaded in \d+ ms/, { timeout: 30_000 });
  const editor = page.locator('[data-json-editor="monaco"]');
  await expect(editor).toBeVisible({ timeout: 30_000 });
  // Monaco follows the form once the typing pauses (it is not redrawn on every keystroke), then shows every change.
  await page.getByLabel("x0", { exact: true }).fill("6.25");
  await page.getByLabel("x3", { exact: true }).fill("1.75");
  await expect(editor.locator(".view-lines")).toContainText(/"x0":\s*6\.25/);
  await expect(editor.locator(".view-lines")).toContainText(/"x3":\s*1\.75/);

  await editor.locator(".view-lines").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(JSON.stringify({ x0: 5.1, x1: 3.5, x2: 1.4, x3: 0.2 }, null, 2));
  await expect(page.getByLabel("x1", { exact: true })).toHaveValue("3.5");
  await expect(page.getByLabel("x0", { exact: true })).toHaveValue("5.1");
  // And a field changed after that is in the JSON again, the rest as typed.
  await page.getByLabel("x2", { exact: true }).fill("4.5");
  await expect(editor.locator(".view-lines")).toContainText(/"x2":\s*4\.5/);
  await expect(editor.locator(".view-lines")).toContainText(/"x1":\s*3\.5/);
  await page.getByRole("button", { name: "Predict" }).click();
  const [expected] = await nodeLabels([[5.1, 3.5, 4.5, 0.2]]);
  await expect(page.getByRole("region", { name: "Prediction" }).getByTestId("predicted-label")).toHaveText(String(expected));
});

test("the version page warms the playground up: Open playground finds ORT's wasm and the model in the browser's cache", async ({ page }) => {
  await page.goto("/models/breast-cancer-rf/versions/1");
  await expect(page.getByTestId("playground-warm-up")).toHaveAttribute("data-state", "done", { timeout: 30_000 });
  await page.getByRole("link", { name: "Open playground" }).click();
  await expect(page).toHaveURL(/\/models\/breast-cancer-rf\/versions\/1\/playground$/);
  const runtime = page.getByLabel("Runtime");
  await expect(runtime).toContainText(/Model loaded in \d+ ms \(ready \d+ ms after the page was opened\)/, { timeout: 30_000 });
  await expect(runtime).toContainText("Cross-origin isolated: yes");
  // Resource timing of the playground's document: nothing transferred means the browser's cache answered.
  const fetched = await page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .map((entry) => entry as PerformanceResourceTiming)
      .filter((entry) => /\/model\.onnx\?digest=|\/ort-wasm-simd-threaded\.wasm$/.test(entry.name))
      .map((entry) => ({ file: new URL(entry.name).pathname.split("/").pop()!, transferred: entry.transferSize, size: entry.decodedBodySize })),
  );
  expect(new Set(fetched.map((f) => f.file))).toEqual(new Set(["model.onnx", "ort-wasm-simd-threaded.wasm"]));
  for (const file of fetched) expect(file, file.file).toMatchObject({ transferred: 0, size: expect.any(Number) });
  expect(fetched.every((f) => f.size > 0)).toBe(true);
});

interface Sidecar {
  feature_columns: string[];
  label_column: string;
  dataset: string;
  inputs: { name: string; dtype: string; shape: (number | null)[] }[];
}

/** Each fixture model as registered by the demo seed; fields are named after the training columns when lineage knows them. */
const fixtureModels = [
  { name: "iris-logreg", version: "1", fixture: "iris-logreg", namedFields: false },
  { name: "iris-logreg-zipmap", version: "2", fixture: "iris-logreg", namedFields: false },
  { name: "breast-cancer-rf", version: "1", fixture: "breast-cancer-rf-v1", namedFields: true },
  { name: "breast-cancer-rf", version: "2", fixture: "breast-cancer-rf-v2", namedFields: true },
  { name: "credit-logreg", version: "1", fixture: "credit-logreg", namedFields: true },
  { name: "diabetes-ridge", version: "1", fixture: "diabetes-ridge", namedFields: false },
  { name: "digits-mlp", version: "1", fixture: "digits-mlp", namedFields: false },
];

for (const model of fixtureModels) {
  test(`the playground of ${model.name} v${model.version} predicts a test row as onnxruntime-node does`, async ({ page }) => {
    const sidecar = JSON.parse(readFileSync(`fixtures/models/${model.fixture}.model.json`, "utf8")) as Sidecar;
    const [header, firstRow] = readFileSync(`fixtures/${sidecar.dataset.replace(".train.", ".test.")}`, "utf8").trim().split("\n");
    const columns = header!.split(",");
    const cells = firstRow!.split(",");
    const value = (column: string) => cells[columns.indexOf(column)]!;

    // The expected output, from onnxruntime-node on the same row.
    const session = await ort.InferenceSession.create(`fixtures/models/${model.fixture}.onnx`);
    const single = sidecar.inputs.length === 1;
    const feeds: Record<string, ort.Tensor> = single
      ? { [sidecar.inputs[0]!.name]: new ort.Tensor("float32", Float32Array.from(sidecar.feature_columns.map((c) => Number(value(c)))), [1, sidecar.feature_columns.length]) }
      : Object.fromEntries(
          sidecar.inputs.map((input) => [
            input.name,
            input.dtype === "string" ? new ort.Tensor("string", [value(input.name)], [1, 1]) : new ort.Tensor("float32", Float32Array.from([Number(value(input.name))]), [1, 1]),
          ]),
        );
    const outputs = await session.run(feeds);

    await page.goto(`/models/${model.name}/versions/${model.version}/playground`);
    await expect(page.getByLabel("Runtime")).toContainText(/Model loaded in \d+ ms/, { timeout: 30_000 });
    // Only a text input can be a select (its categories); asking each field's tag costs a round trip per field (64 for
    // digits-mlp), so numeric-only models skip it: fill() throws on anything but a text field, so a wrong kind still fails.
    const hasTextInput = sidecar.inputs.some((input) => input.dtype === "string");
    for (const [i, column] of sidecar.feature_columns.entries()) {
      const field = page.getByLabel(single && !model.namedFields ? `x${i}` : column, { exact: true });
      if (hasTextInput && (await field.evaluate((el) => el.tagName)) === "SELECT") await field.selectOption(value(column));
      else await field.fill(value(column));
    }
    await page.getByRole("button", { name: "Predict" }).click();
    const prediction = page.getByRole("region", { name: "Prediction" });
    // The explanation (Shapley values in the browser, its batches in the worker) follows the prediction.
    if (model.name === "breast-cancer-rf" && model.version === "1") {
      await expect(prediction.getByTestId("playground-explanation").getByTestId("waterfall-chart")).toBeVisible({ timeout: 30_000 });
    }
    if (outputs.label) {
      await expect(prediction.getByTestId("predicted-label")).toHaveText(String(outputs.label.data[0]));
    } else {
      const expected = Number((outputs.variable!.data as Float32Array)[0]);
      await expect(prediction).toContainText(expected.toPrecision(6).slice(0, 5));
    }
  });
}

test("champion and challenger answer the same inputs side by side", async ({ page }) => {
  await page.goto("/models/breast-cancer-rf/versions/1/playground");
  await expect(page.getByLabel("Runtime")).toContainText(/Model loaded in \d+ ms/, { timeout: 30_000 });
  await page.getByLabel("Compare with").selectOption("2");
  await page.getByRole("button", { name: "Compare", exact: true }).click();
  const comparison = page.getByRole("region", { name: "Comparison" });
  await expect(comparison).toBeVisible({ timeout: 20_000 });
  await expect(comparison.getByRole("table", { name: "Probability differences" })).toBeVisible();

  // Response curve: sweep one feature, each class's probability over its range (chart and table).
  await page.getByLabel("Feature to sweep").selectOption("worst_concavity");
  await page.getByRole("button", { name: "Draw curve" }).click();
  // The chart's code (recharts) arrives after the model's load: each class's line is drawn once it is there.
  const chart = page.getByRole("img", { name: /change with worst_concavity/ });
  await expect(chart).toBeVisible();
  await expect(chart.locator("path.recharts-line-curve")).toHaveCount(2);
  await page.getByText("The curve as a table").click();
  await expect(page.getByRole("table", { name: "Response curve values" }).locator("tbody tr")).toHaveCount(50);
});

test("Predict pressed before the page's scripts have run is answered at once by the early path, and the hydrated page keeps that answer", async ({ page }) => {
  // The app's scripts are held back until the first answer is on screen: the press lands before hydration.
  const releaseScripts = await holdAppScripts(page);
  const posts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname.includes("playground")) posts.push(new URL(request.url()).pathname);
  });
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    // React's production build names a hydration mismatch by its error number only.
    if (message.type() === "error" && /hydrat|#418|#419|#423|#425/i.test(message.text())) problems.push(message.text());
  });
  await page.goto("/models/iris-logreg/versions/1/playground", { waitUntil: "commit" });
  const row = irisRows[7]!;
  for (const [i, value] of row.entries()) await page.getByLabel(`x${i}`, { exact: true }).fill(String(value));
  const document = await page.evaluate(() => performance.timeOrigin);
  await page.getByRole("button", { name: "Predict" }).click();
  const [expected] = await nodeLabels([row]);
  const prediction = page.getByRole("region", { name: "Prediction" });
  await expect(prediction.getByTestId("predicted-label")).toHaveText(String(expected));
  // Answered by the early script through the JSON route, in the same document: the form was not posted.
  await expect(prediction.getByTestId("latency")).toHaveAttribute("data-scored-by", "server-early");
  await expect(prediction.getByTestId("latency")).toContainText("Predict was pressed before this page's scripts ran");
  expect(posts).toEqual(["/api/models/iris-logreg/versions/1/playground-row"]);
  expect(await page.evaluate(() => performance.timeOrigin)).toBe(document);
  await expect(prediction.getByText("Fill the inputs and press Predict.")).toBeHidden();

  releaseScripts();
  await expect(page.getByLabel("Runtime")).toContainText(/Model loaded in \d+ ms/, { timeout: 30_000 });
  // Hydrated with the answer adopted (one answer, the same), the row in the fields; Predict now scores on the page.
  await expect(prediction.getByTestId("latency")).toHaveCount(1);
  await expect(prediction.getByTestId("latency")).toHaveAttribute("data-scored-by", "server-early");
  await expect(prediction.getByTestId("predicted-label")).toHaveText(String(expected));
  for (const [i, value] of row.entries()) await expect(page.getByLabel(`x${i}`, { exact: true })).toHaveValue(String(value));
  await page.getByRole("button", { name: "Predict" }).click();
  await expect(prediction.getByTestId("latency")).toContainText("scored on this page");
  await expect(prediction.getByTestId("predicted-label")).toHaveText(String(expected));
  expect(posts).toEqual(["/api/models/iris-logreg/versions/1/playground-row"]);
  expect(problems).toEqual([]);
});

test("a value refused before hydration falls back to the form's own post, which shows the field's message", async ({ page }) => {
  const releaseScripts = await holdAppScripts(page);
  await page.goto("/models/iris-logreg/versions/1/playground", { waitUntil: "commit" });
  await page.getByLabel("x1", { exact: true }).fill("");
  const refused = page.waitForResponse((response) => response.url().endsWith("/playground-row"));
  const posted = page.waitForResponse((response) => response.request().method() === "POST" && new URL(response.url()).pathname.endsWith("/playground"));
  await page.getByRole("button", { name: "Predict" }).click();
  expect((await refused).status()).toBe(400);
  expect((await posted).status()).toBe(200);
  const field = page.getByLabel("x1", { exact: true });
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toHaveAccessibleDescription('"x1" must be a number.');
  releaseScripts();
});

test.describe("without the page's JavaScript", () => {
  // The server-rendered form is what a person has before hydration; here scripts never run at all.
  test.use({ javaScriptEnabled: false });

  test("the server-rendered form predicts a row as onnxruntime-node does", async ({ page }) => {
    await page.goto("/models/iris-logreg/versions/1/playground");
    const predict = page.getByRole("button", { name: "Predict" });
    await expect(predict).toBeEnabled();
    const row = irisRows[20]!;
    for (const [i, value] of row.entries()) await page.getByLabel(`x${i}`, { exact: true }).fill(String(value));
    const posted = page.waitForResponse((response) => response.request().method() === "POST" && new URL(response.url()).pathname.endsWith("/playground"));
    await predict.click();
    expect((await posted).status()).toBe(200);
    const [expected] = await nodeLabels([row]);
    const prediction = page.getByRole("region", { name: "Prediction" });
    await expect(prediction.getByTestId("predicted-label")).toHaveText(String(expected));
    await expect(prediction.getByTestId("latency")).toContainText("scored on the server by onnxruntime-node");
    // The form shows the row it answered, ready for the next try.
    for (const [i, value] of row.entries()) await expect(page.getByLabel(`x${i}`, { exact: true })).toHaveValue(String(value));
    await expect(predict).toBeEnabled();
  });

  test("a value that is not a number gets its field's message, not a server error", async ({ page }) => {
    await page.goto("/models/iris-logreg/versions/1/playground");
    await page.getByLabel("x1", { exact: true }).fill("");
    const posted = page.waitForResponse((response) => response.request().method() === "POST" && new URL(response.url()).pathname.endsWith("/playground"));
    await page.getByRole("button", { name: "Predict" }).click();
    expect((await posted).status()).toBe(200);
    const field = page.getByLabel("x1", { exact: true });
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(field).toHaveAccessibleDescription('"x1" must be a number.');
    await expect(page.getByRole("region", { name: "Prediction" }).getByTestId("predicted-label")).toHaveCount(0);
    // Fixed, the same form is answered.
    await field.fill("3.1");
    await page.getByRole("button", { name: "Predict" }).click();
    await expect(page.getByRole("region", { name: "Prediction" }).getByTestId("predicted-label")).toHaveText(/\S/);
    await expect(page.getByLabel("x1", { exact: true })).not.toHaveAttribute("aria-invalid", "true");
  });

  test("credit-logreg's fields (numbers, and text) are posted and scored as onnxruntime-node does", async ({ page }) => {
    const sidecar = JSON.parse(readFileSync("fixtures/models/credit-logreg.model.json", "utf8")) as Sidecar;
    const [header, firstRow] = readFileSync(`fixtures/${sidecar.dataset.replace(".train.", ".test.")}`, "utf8").trim().split("\n");
    const columns = header!.split(",");
    const cells = firstRow!.split(",");
    const value = (column: string) => cells[columns.indexOf(column)]!;
    const session = await ort.InferenceSession.create("fixtures/models/credit-logreg.onnx");
    const feeds = Object.fromEntries(
      sidecar.inputs.map((input) => [
        input.name,
        input.dtype === "string" ? new ort.Tensor("string", [value(input.name)], [1, 1]) : new ort.Tensor("float32", Float32Array.from([Number(value(input.name))]), [1, 1]),
      ]),
    );
    const outputs = await session.run(feeds);

    await page.goto("/models/credit-logreg/versions/1/playground");
    for (const column of sidecar.feature_columns) {
      const field = page.getByLabel(column, { exact: true });
      // A select once the training profile (read by the server page) lists the column's categories.
      if ((await field.evaluate((el) => el.tagName)) === "SELECT") await field.selectOption(value(column));
      else await field.fill(value(column));
    }
    await page.getByRole("button", { name: "Predict" }).click();
    await expect(page.getByRole("region", { name: "Prediction" }).getByTestId("predicted-label")).toHaveText(String(outputs.label!.data[0]));
  });
});
