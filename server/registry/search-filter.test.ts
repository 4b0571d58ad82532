// A registry search filter, order_by or max_results the studio refuses is said in the reader's language: the English
// catalogue says exactly what MLflow clients get, the French one says it in French.
import { describe, expect, it } from "vitest";
import { frenchTypography, refusalOfCall, saidIn } from "../testing/said-error";
import { checkMaxResults, parseOrderBy, parseRegistryFilter, type FilterGrammar } from "./search-filter";
import { clauseToSql } from "../tracking/search-runs";

const grammar: FilterGrammar = {
  attributes: { name: { ops: ["=", "!=", "LIKE", "ILIKE"] }, version_number: { ops: ["=", ">", "<"], numeric: true } },
  tagOps: ["=", "!=", "IN"],
  example: "name LIKE '%churn%' AND tags.team = 'risk'",
};

describe("registry search refusals", () => {
  it("say each refused filter in English word for word, and in French", () => {
    const filter = (text: string, entity = "registered model") => () => parseRegistryFilter(text, grammar, entity);
    const example = "Exemple : name LIKE '%churn%' AND tags.team = 'risk'";
    const cases: [() => unknown, string][] = [
      [filter("name ~ 'a'"), `Filtre de recherche de modèles enregistrés invalide « name ~ 'a' » : impossible de le lire à partir de la position 1. ${example}`],
      [
        filter("owner = 'a'", "model version"),
        `Filtre de recherche de versions de modèle invalide « owner = 'a' » : « owner » ne se recherche pas ; utilisez name, version_number ou tags.<clé>. ${example}`,
      ],
      [filter("name > 'a'"), `Filtre de recherche de modèles enregistrés invalide « name > 'a' » : « name » n’accepte pas > ; il accepte =, !=, LIKE, ILIKE. ${example}`],
      [filter("name = ('a')"), `Filtre de recherche de modèles enregistrés invalide « name = ('a') » : une liste entre parenthèses demande IN. ${example}`],
      [filter("tags.t IN 'a'"), `Filtre de recherche de modèles enregistrés invalide « tags.t IN 'a' » : IN demande une liste entre parenthèses comme ('a', 'b'). ${example}`],
      [filter("version_number = '3'"), `Filtre de recherche de modèles enregistrés invalide « version_number = '3' » : « version_number » se compare à un nombre, pas à une chaîne. ${example}`],
      [filter("name = 3"), `Filtre de recherche de modèles enregistrés invalide « name = 3 » : « name » se compare à une chaîne entre apostrophes, par exemple '3'. ${example}`],
      [filter("name = 'a' OR name = 'b'"), `Filtre de recherche de modèles enregistrés invalide « name = 'a' OR name = 'b' » : AND attendu à la position 12. ${example}`],
      [
        () => parseOrderBy("size DESC", ["name", "creation_timestamp"], "model version"),
        "Clause order_by invalide « size DESC » pour la recherche de versions de modèle : utilisez name, creation_timestamp, suivi au besoin de ASC ou DESC.",
      ],
      [() => checkMaxResults(250_000, 200_000), "Valeur invalide pour max_results : elle doit être au plus 200\u202f000, reçu 250\u202f000."],
      // The runs search's own check, behind its parser (which already refuses unknown attributes).
      [() => clauseToSql({ entity: "attribute", key: "colour", op: "=", value: "red", position: 0 }), "Clé d’attribut invalide « colour » dans le filtre de recherche."],
    ];
    for (const [check, french] of cases) {
      const error = refusalOfCall(check);
      expect(error.code).toBe("INVALID_PARAMETER_VALUE");
      expect(saidIn("en", error)).toBe(error.message);
      expect(saidIn("fr", error)).toBe(frenchTypography(french));
    }
  });
});
