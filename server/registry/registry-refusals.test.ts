// A model or alias name the registry refuses is said on the pages in the reader's language: the English catalogue
// says exactly the message MLflow clients get, the French one says the same in French.
import { describe, expect, it } from "vitest";
import { refusalOfCall, saidIn } from "../testing/said-error";
import { canonicalStage, parseVersionNumber, validateModelName, validateRegistryTag } from "./model-versions";
import { validateAliasName, validateNewModelName } from "./registered-models";

describe("registry name refusals", () => {
  it("say each refused model or alias name in English word for word, and in French", () => {
    const cases: [() => void, string][] = [
      [() => validateModelName("  ", "name"), "Le paramètre obligatoire «\u00a0name\u00a0» manque\u00a0: un modèle enregistré a besoin d'un nom."],
      [() => validateModelName("a/b"), "Nom de modèle invalide «\u00a0a/b\u00a0»\u00a0: un nom ne peut contenir ni «\u00a0/\u00a0» ni «\u00a0:\u00a0»."],
      [() => validateNewModelName(".."), "Nom de modèle invalide «\u00a0..\u00a0» dans «\u00a0name\u00a0»\u00a0: «\u00a0.\u00a0» et «\u00a0..\u00a0» désignent des dossiers, pas des modèles."],
      [() => validateNewModelName("a%2Fb", "new_name"), "Nom de modèle invalide «\u00a0a%2Fb\u00a0» dans «\u00a0new_name\u00a0»\u00a0: un nom ne peut pas contenir de séquences d'échappement comme «\u00a0%2F\u00a0», que les URL décoderaient."],
      [() => validateNewModelName("a\\b"), "Nom de modèle invalide «\u00a0a\\b\u00a0» dans «\u00a0name\u00a0»\u00a0: un nom ne peut contenir ni barre oblique inverse ni caractère de contrôle."],
      [() => validateAliasName(""), "Le nom d'alias ne peut pas être vide."],
      [() => validateAliasName("prod uction"), "Nom d'alias invalide\u00a0: «\u00a0prod uction\u00a0». Un nom ne contient que des lettres et chiffres ASCII, des tirets bas (_) et des tirets (-)."],
      [() => validateAliasName("ｐｒｏｄ"), "Nom d'alias invalide\u00a0: «\u00a0ｐｒｏｄ\u00a0». Un nom ne contient que des lettres et chiffres ASCII, des tirets bas (_) et des tirets (-)\u00a0; les caractères sosies d'autres écritures ou en pleine chasse sont refusés."],
      [() => validateAliasName("x".repeat(256)), `Le nom d'alias «\u00a0${"x".repeat(40)}…\u00a0» dépasse 255 caractères.`],
      [() => validateAliasName("Latest"), "Le nom d'alias «\u00a0latest\u00a0» (quelle que soit la casse) est réservé."],
      [() => validateAliasName("v3"), "Le nom d'alias de version «\u00a0v3\u00a0» est réservé."],
    ];
    cases.push(
      [() => parseVersionNumber("1.5"), "Le paramètre «\u00a0version\u00a0» doit être un entier, reçu «\u00a01.5\u00a0»."],
      [() => canonicalStage("Live"), "Étape de version de modèle invalide\u00a0: «\u00a0Live\u00a0». Valeurs permises\u00a0: None, Staging, Production, Archived."],
      [() => validateRegistryTag("note", "x".repeat(5001)), "La valeur de l'étiquette «\u00a0note\u00a0» fait 5001 caractères\u00a0; 5000 au plus sont permis."],
    );
    for (const [check, french] of cases) {
      const error = refusalOfCall(check);
      expect(error.code).toBe("INVALID_PARAMETER_VALUE");
      expect(saidIn("en", error)).toBe(error.message);
      expect(saidIn("fr", error)).toBe(french);
    }
  });
});
