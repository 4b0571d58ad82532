// Checks that the Monaco file route serves the editor's scripts and styles and nothing else from the disk.
import { describe, expect, it } from "vitest";
import { installedMonacoVersion, openMonacoAsset } from "./assets";

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("openMonacoAsset", () => {
  const version = installedMonacoVersion();

  it("serves the AMD loader and the editor's style sheet with their types", async () => {
    const loader = await openMonacoAsset(version, ["loader.js"]);
    expect(loader?.contentType).toBe("text/javascript; charset=utf-8");
    expect(await text(loader!.body)).toContain("AMDLoader");
    const css = await openMonacoAsset(version, ["editor", "editor.main.css"]);
    expect(css?.contentType).toBe("text/css; charset=utf-8");
    expect(css?.size).toBeGreaterThan(1000);
    await css?.body.cancel();
  });

  it("refuses another version, so a cached file never outlives an upgrade", async () => {
    expect(await openMonacoAsset("0.0.1", ["loader.js"])).toBeNull();
  });

  it.each([
    [["..", "package.json"]],
    [["..", "..", "..", "package.json"]],
    [["%2e%2e", "loader.js"]],
    [["editor", "..", "..", "monaco.d.ts"]],
    [["/etc", "passwd"]],
    [[".hidden.js"]],
    [["editor"]],
    [["missing.js"]],
    [["nls.messages-loader.js\0.css"]],
    [[]],
  ])("refuses %j", async (segments) => {
    expect(await openMonacoAsset(version, segments)).toBeNull();
  });

  it("serves only scripts and style sheets", async () => {
    const script = await openMonacoAsset(version, ["nls", "lang", "fr.js"]);
    expect(script).not.toBeNull();
    await script?.body.cancel();
    expect(await openMonacoAsset(version, ["nls", "lang", "fr.d.ts"])).toBeNull();
  });
});
