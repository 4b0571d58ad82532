// The playground's model-file failure line: English as it was (with the studio's reason when it gives one), the same
// line from the catalogue in French.
import { describe, expect, it } from "vitest";
import { frenchTypography, saidIn } from "@/server/testing/said-error";
import { modelFileError } from "./model-file-error";

describe("the model file that could not be fetched", () => {
  it("without a reason from the studio: the line the page always said, and its French", async () => {
    const error = await modelFileError(new Response("<html>bad gateway</html>", { status: 502 }));
    expect(error.message).toBe("The model file could not be fetched (HTTP 502). Reload the page, or check the version page.");
    expect(saidIn("en", error)).toBe(error.message);
    expect(saidIn("fr", error)).toBe("Le fichier du modèle n’a pas pu être récupéré (HTTP 502). Rechargez la page, ou consultez la page de la version.");
  });

  it("with the studio's reason (already in the reader's language): the reason after the line", async () => {
    const reason = frenchTypography("Le modèle « m » n’a pas de version 9.");
    const error = await modelFileError(new Response(JSON.stringify({ error_code: "RESOURCE_DOES_NOT_EXIST", message: reason }), { status: 404, headers: { "content-type": "application/json" } }));
    expect(error.message).toBe(`The model file could not be fetched (HTTP 404): ${reason}`);
    expect(saidIn("en", error)).toBe(error.message);
    expect(saidIn("fr", error)).toBe(frenchTypography(`Le fichier du modèle n’a pas pu être récupéré (HTTP 404) : ${reason}`));
  });
});
