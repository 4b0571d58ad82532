// A model or alias name the registry refuses is said on the pages in the reader's language: the English catalogue
// says exactly the message MLflow clients get, the French one says the same in French.
import { describe, expect, it } from "vitest";
import { refusalOfCall, saidIn } from "../testing/said-error";
import { canonicalStage, parseVersionNumber, validateModelName, validateRegistryTag } from "./model-versions";
import { validateAliasName, validateNewModelName } from "./registered-models";

describe("registry name refusals", () => {
  it("say each refused model or alias name in English word for word, and in French", () => {
    const cases: [() => void, string][] = [
      [() => validateModelName("  ", "name"), "Le paramètre obligatoire « name » manque : un modèle enregistré a besoin d'un nom."],
      [() => validateModelName("a/b"), "Nom de modèle invalide « a/b » : un nom ne peut contenir ni « / » ni « : »."],
      [() => validateNewModelName(".."), "Nom de modèle invalide « .. » dans « name » : « . » et « .. » désignent des dossiers, pas des modèles."],
      [() => validateNewModelName("a%2Fb", "new_name"), "Nom de modèle invalide « a%2Fb » dans « new_name » : un nom ne peut pas contenir de séquences d'échappement comme « %2F », que les URL décoderaient."],
      [() => validateNewModelName("a\\b"), "Nom de modèle invalide « a\\b » dans « name » : un nom ne peut contenir ni barre oblique inverse ni caractère de contrôle."],
      [() => validateAliasName(""), "Le nom d'alias ne peut pas être vide."],
      [() => validateAliasName("prod uction"), "Nom d'alias invalide : « prod uction ». Un nom ne contient que des lettres et chiffres ASCII, des tirets bas (_) et des tirets (-)."],
      [() => validateAliasName("ｐｒｏｄ"), "Nom d'alias invalide : « ｐｒｏｄ ». Un nom ne contient que des lettres et chiffres ASCII, des tirets bas (_) et des tirets (-) ; les caractères sosies d'autres écritures ou en pleine chasse sont refusés."],
      [() => validateAliasName("x".repeat(256)), `Le nom d'alias « ${"x".repeat(40)}… » dépasse 255 caractères.`],
      [() => validateAliasName("Latest"), "Le nom d'alias « latest » (quelle que soit la casse) est réservé."],
      [() => validateAliasName("v3"), "Le nom d'alias de version « v3 » est réservé."],
    ];
    cases.push(
      [() => parseVersionNumber("1.5"), "Le paramètre « version » doit être un entier, reçu « 1.5 »."],
      [() => canonicalStage("Live"), "Étape de version de modèle invalide : « Live ». Valeurs permises : None, Staging, Production, Archived."],
      [() => validateRegistryTag("note", "x".repeat(5001)), "La valeur de l'étiquette « note » fait 5001 caractères ; 5000 au plus sont permis."],
    );
    for (const [check, french] of cases) {
      const error = refusalOfCall(check);
      expect(error.code).toBe("INVALID_PARAMETER_VALUE");
      expect(saidIn("en", error)).toBe(error.message);
      expect(saidIn("fr", error)).toBe(french);
    }
  });
});
