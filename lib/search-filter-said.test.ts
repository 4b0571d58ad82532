// The runs filter's refusals (the filter box and the search APIs) are said in the reader's language: the English
// catalogue says MLflow's message byte for byte (the texts below are the parser's messages before they had sentence
// codes; MLflow clients read them), the French one says it in French. Every sentence code of the parser is met.
import { describe, expect, it } from "vitest";
import { frenchTypography, saidIn } from "@/server/testing/said-error";
import { catalogues } from "@/messages";
import { parseOrderBy, parseSearchFilter, SearchFilterError } from "./search-filter";

function refusalOf(kind: "filter" | "order_by", text: string): SearchFilterError {
  try {
    if (kind === "filter") parseSearchFilter(text);
    else parseOrderBy(text);
  } catch (error) {
    if (error instanceof SearchFilterError) return error;
    throw error;
  }
  throw new Error(`expected ${kind} ${JSON.stringify(text)} to be refused`);
}

// [filter or order_by, text, English as MLflow clients get it, French as a test writes it (plain spaces)]
const cases: ["f" | "o", string, string, string][] = [
    ["f", "params.x = 'abc", "Unclosed string starting at position 11: add a closing '", "Chaîne non fermée à partir de la position 11 : ajoutez un ' fermant"],
    ["f", "metrics.`val", "Unclosed backtick-quoted name starting at position 8: add a closing `", "Nom entre accents graves non fermé à partir de la position 8 : ajoutez un ` fermant"],
    ["f", "metrics.\"val", "Unclosed double-quoted name starting at position 8: add a closing \"", "Nom entre guillemets non fermé à partir de la position 8 : ajoutez un \" fermant"],
    ["f", "= 1", "Expected a name such as metrics.accuracy or params.lr at position 0, found '='", "Nom attendu à la position 0, par exemple metrics.accuracy ou params.lr ; trouvé « = »"],
    ["f", "metrics.-x > 1", "Expected a key after '.' at position 8, found '-'; quote keys with special characters in backticks, e.g. metrics.`val-loss`", "Clé attendue après « . » à la position 8 ; trouvé « - » ; mettez entre accents graves les clés qui contiennent des caractères spéciaux, par exemple metrics.`val-loss`"],
    ["f", "Metrics.acc > 1", "Unknown entity prefix 'Metrics' at position 0 (prefixes are case-sensitive: write 'metrics'): use metrics., params., tags., attributes. or datasets. (e.g. metrics.accuracy)", "Préfixe d’entité inconnu « Metrics » à la position 0 (les préfixes distinguent majuscules et minuscules : écrivez « metrics ») : utilisez metrics., params., tags., attributes. ou datasets. (par exemple metrics.accuracy)"],
    ["f", "foo.acc > 1", "Unknown entity prefix 'foo' at position 0: use metrics., params., tags., attributes. or datasets. (e.g. metrics.accuracy)", "Préfixe d’entité inconnu « foo » à la position 0 : utilisez metrics., params., tags., attributes. ou datasets. (par exemple metrics.accuracy)"],
    ["f", "tags.a.`b` = 'x'", "Quote the whole key at position 7, e.g. tags.`a.b` instead of mixing quoted and unquoted parts", "Mettez toute la clé entre guillemets à la position 7, par exemple tags.`a.b`, au lieu de mêler des parties entre guillemets et d’autres sans"],
    ["f", "metrics.`` > 1", "Empty key at position 8: name the metric, e.g. metrics.`my key`", "Clé vide à la position 8 : nommez la métrique, par exemple metrics.`ma clé`"],
    ["f", "datasets.size = 'x'", "Unknown dataset field 'size' at position 9: use datasets.name, datasets.digest or datasets.context", "Champ de jeu de données inconnu « size » à la position 9 : utilisez datasets.name, datasets.digest ou datasets.context"],
    ["f", "colour = 'red'", "Unknown attribute 'colour' at position 0: valid attributes are run_id, run_name, status, user_id, artifact_uri, lifecycle_stage, start_time, end_time (aliases: created/Created for start_time, `run name` for run_name). If 'colour' is a metric, param or tag, prefix it: metrics.colour, params.colour or tags.colour.", "Attribut inconnu « colour » à la position 0 : les attributs valides sont run_id, run_name, status, user_id, artifact_uri, lifecycle_stage, start_time, end_time (alias : created/Created pour start_time, `run name` pour run_name). Si « colour » est une métrique, un paramètre ou un tag, préfixez-le : metrics.colour, params.colour ou tags.colour."],
    ["f", "attributes.colour = 'red'", "Unknown attribute 'colour' at position 11: valid attributes are run_id, run_name, status, user_id, artifact_uri, lifecycle_stage, start_time, end_time (aliases: created/Created for start_time, `run name` for run_name).", "Attribut inconnu « colour » à la position 11 : les attributs valides sont run_id, run_name, status, user_id, artifact_uri, lifecycle_stage, start_time, end_time (alias : created/Created pour start_time, `run name` pour run_name)."],
    ["f", "metrics.a > 1 AND ", "Expected a clause after AND at position 18; remove the trailing AND or add a clause", "Condition attendue après AND à la position 18 ; retirez le AND final ou ajoutez une condition"],
    ["f", "metrics.a > 1 OR metrics.b > 2", "OR is not supported at position 14: MLflow filters only combine clauses with AND. Run one search per alternative, or use IN ('a', 'b') where the field supports it", "OR n’est pas pris en charge (position 14) : les filtres MLflow ne combinent les conditions qu’avec AND. Lancez une recherche par possibilité, ou utilisez IN ('a', 'b') là où le champ l’accepte"],
    ["f", "metrics.a > 1 metrics.b > 2", "Unexpected 'metrics' at position 14: join clauses with AND", "« metrics » inattendu à la position 14 : reliez les conditions par AND"],
    ["f", "(metrics.a > 1)", "Parentheses are not supported at position 0: write clauses joined by AND, e.g. metrics.acc > 0.9 AND params.lr = '0.01'", "Les parenthèses ne sont pas prises en charge (position 0) : écrivez des conditions reliées par AND, par exemple metrics.acc > 0.9 AND params.lr = '0.01'"],
    ["f", "NOT metrics.a > 1", "NOT before a clause is not supported at position 0: use !=, NOT IN or IS NOT NULL", "NOT devant une condition n’est pas pris en charge (position 0) : utilisez !=, NOT IN ou IS NOT NULL"],
    ["f", "metrics.a LIKE 'x'", "Invalid comparator 'LIKE' for metric 'a' at position 10: metrics support =, !=, <, <=, >, >=", "Comparateur « LIKE » invalide pour la métrique « a » à la position 10 : les métriques acceptent =, !=, <, <=, >, >="],
    ["f", "status > 'A'", "Invalid comparator '>' for attribute 'status' at position 7: string attributes support =, !=, LIKE, ILIKE, IN, NOT IN", "Comparateur « > » invalide pour l’attribut « status » à la position 7 : les attributs textuels acceptent =, !=, LIKE, ILIKE, IN, NOT IN"],
    ["f", "datasets.name > 'a'", "Invalid comparator '>' for dataset 'name' at position 14: datasets support =, !=, LIKE, ILIKE, IN, NOT IN", "Comparateur « > » invalide pour le champ de jeu de données « name » à la position 14 : les jeux de données acceptent =, !=, LIKE, ILIKE, IN, NOT IN"],
    ["f", "metrics.a", "Missing comparator after 'metrics.a' at position 9: use one of =, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL", "Comparateur manquant après « metrics.a » à la position 9 : utilisez l’un de =, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL"],
    ["f", "metrics.a == 1", "Invalid comparator '==' at position 10: write '='", "Comparateur « == » invalide à la position 10 : écrivez « = »"],
    ["f", "metrics.a <> 1", "Invalid comparator '<>' at position 10: write '!='", "Comparateur « <> » invalide à la position 10 : écrivez « != »"],
    ["f", "metrics.a ~ 1", "Invalid comparator '~' at position 10: use one of =, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL", "Comparateur « ~ » invalide à la position 10 : utilisez l’un de =, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL"],
    ["f", "params.a RLIKE 'x'", "RLIKE is not supported at position 9: use LIKE or ILIKE with % and _ wildcards", "RLIKE n’est pas pris en charge (position 9) : utilisez LIKE ou ILIKE avec les jokers % et _"],
    ["f", "metrics.val loss > 1", "Expected a comparator after 'metrics.val' at position 12, found 'loss'; if the key contains spaces, quote it in backticks, e.g. metrics.`val loss`", "Comparateur attendu après « metrics.val » à la position 12 ; trouvé « loss » ; si la clé contient des espaces, mettez-la entre accents graves, par exemple metrics.`val loss`"],
    ["f", "metrics.a-b > 1", "Expected a comparator after 'metrics.a' at position 9, found '-'; if the key contains special characters, quote it in backticks, e.g. metrics.`val-loss`", "Comparateur attendu après « metrics.a » à la position 9 ; trouvé « - » ; si la clé contient des caractères spéciaux, mettez-la entre accents graves, par exemple metrics.`val-loss`"],
    ["f", "params.a NOT LIKE 'x'", "NOT LIKE is not supported at position 9: MLflow has no negated LIKE; use != for exact values", "NOT LIKE n’est pas pris en charge (position 9) : MLflow n’a pas de LIKE négatif ; utilisez != pour des valeurs exactes"],
    ["f", "params.a NOT x", "Expected IN after NOT at position 13, found 'x'", "IN attendu après NOT à la position 13 ; trouvé « x »"],
    ["f", "params.a IS NOT x", "Expected NULL after IS NOT at position 16, found 'x'", "NULL attendu après IS NOT à la position 16 ; trouvé « x »"],
    ["f", "params.a IS x", "Expected NULL or NOT NULL after IS at position 12, found 'x' (IS is only used as IS NULL / IS NOT NULL)", "NULL ou NOT NULL attendu après IS à la position 12 ; trouvé « x » (IS ne s’emploie que dans IS NULL / IS NOT NULL)"],
    ["f", "status IN ('a')", "Invalid comparator 'IN' for attribute 'status' at position 7: only run_id accepts a list; use = or LIKE for other attributes", "Comparateur « IN » invalide pour l’attribut « status » à la position 7 : seul run_id accepte une liste ; utilisez = ou LIKE pour les autres attributs"],
    ["f", "metrics.a >", "Missing value after '>' at position 11: give a number, e.g. 0.9", "Valeur manquante après « > » à la position 11 : donnez un nombre, par exemple 0.9"],
    ["f", "params.a =", "Missing value after '=' at position 10: give a quoted string, e.g. 'value'", "Valeur manquante après « = » à la position 10 : donnez une chaîne entre apostrophes, par exemple 'valeur'"],
    ["f", "metrics.a > '1'", "Expected a number for metric 'a' at position 12, found the string '1': remove the quotes", "Nombre attendu pour la métrique « a » à la position 12 ; trouvé la chaîne '1' : retirez les guillemets"],
    ["f", "params.a = 1", "Expected a quoted string for param 'a' at position 11, found 1: write '1'", "Chaîne entre apostrophes attendue pour le paramètre « a » à la position 11 ; trouvé 1 : écrivez '1'"],
    ["f", "start_time > 1.5", "Expected whole milliseconds since the epoch for attribute 'start_time' at position 13, found 1.5", "Nombre entier de millisecondes depuis l’epoch attendu pour l’attribut « start_time » à la position 13 ; trouvé 1.5"],
    ["f", "params.a = ('x')", "A parenthesised list at position 11 needs IN or NOT IN, e.g. run_id IN ('a', 'b')", "Une liste entre parenthèses (position 11) demande IN ou NOT IN, par exemple run_id IN ('a', 'b')"],
    ["f", "metrics.a > high", "Expected a number for metric 'a' at position 12, found 'high'", "Nombre attendu pour la métrique « a » à la position 12 ; trouvé « high »"],
    ["f", "params.a = high", "Expected a quoted string for param 'a' at position 11, found 'high': wrap it in quotes", "Chaîne entre apostrophes attendue pour le paramètre « a » à la position 11 ; trouvé « high » : mettez-la entre apostrophes"],
    ["f", "metrics.a > 1abc", "Invalid number at position 12: '1' is followed by 'a'", "Nombre invalide à la position 12 : « 1 » est suivi de « a »"],
    ["f", "run_id IN 'a'", "Expected a parenthesised list after IN at position 10, found ''': e.g. IN ('a', 'b')", "Liste entre parenthèses attendue après IN à la position 10 ; trouvé « ' » : par exemple IN ('a', 'b')"],
    ["f", "run_id IN", "Expected a parenthesised list after IN at position 9, found the end of the filter: e.g. IN ('a', 'b')", "Liste entre parenthèses attendue après IN à la position 9 ; trouvé la fin du filtre : par exemple IN ('a', 'b')"],
    ["f", "run_id IN (", "Unclosed list starting at position 10: add ')'", "Liste non fermée à partir de la position 10 : ajoutez « ) »"],
    ["f", "run_id IN ('a'", "Unclosed list starting at position 10: add ')'", "Liste non fermée à partir de la position 10 : ajoutez « ) »"],
    ["f", "run_id IN ()", "Empty list at position 10: IN needs at least one quoted value", "Liste vide à la position 10 : IN demande au moins une valeur entre apostrophes"],
    ["f", "run_id IN (a)", "Expected a quoted string in the list at position 11, found 'a'", "Chaîne entre apostrophes attendue dans la liste à la position 11 ; trouvé « a »"],
    ["f", "run_id IN ('a' 'b')", "Expected ',' or ')' in the list at position 15, found '''", "« , » ou « ) » attendu dans la liste à la position 15 ; trouvé « ' »"],
    ["o", "  ", "Empty order_by clause: write a column such as metrics.accuracy DESC or attributes.start_time", "Clause order_by vide : écrivez une colonne, par exemple metrics.accuracy DESC ou attributes.start_time"],
    ["o", "datasets.name", "Cannot order by dataset fields (position 0): order by metrics., params., tags. or attributes.", "Impossible de trier par des champs de jeu de données (position 0) : triez par metrics., params., tags. ou attributes."],
    ["o", "metrics.val loss DESC", "Expected ASC or DESC at position 12, found 'loss'; if the key contains spaces, quote it in backticks, e.g. metrics.`val loss` DESC", "ASC ou DESC attendu à la position 12 ; trouvé « loss » ; si la clé contient des espaces, mettez-la entre accents graves, par exemple metrics.`val loss` DESC"],
    ["o", "metrics.a-b", "Expected ASC or DESC at position 9, found '-'", "ASC ou DESC attendu à la position 9 ; trouvé « - »"],
    ["o", "metrics.a DESC x", "Unexpected 'x' at position 15: an order_by clause is one column and an optional ASC or DESC", "« x » inattendu à la position 15 : une clause order_by est une colonne suivie au besoin de ASC ou DESC"],
];

describe("runs filter refusals", () => {
  it.each(cases)("%s %j: English unchanged, French said", (kind, text, english, french) => {
    const error = refusalOf(kind === "f" ? "filter" : "order_by", text);
    expect(error.message).toBe(english);
    expect(error.sentence, english).toBeDefined();
    expect(saidIn("en", error)).toBe(english);
    expect(saidIn("fr", error)).toBe(frenchTypography(french));
  });

  it("meet every error.filter sentence of the catalogue", () => {
    const codes = new Set(cases.map(([kind, text]) => refusalOf(kind === "f" ? "filter" : "order_by", text).sentence?.code));
    const catalogue = catalogues.en.sentences.error.filter;
    const known = Object.keys(catalogue).filter((key) => key !== "found").map((key) => `error.filter.${key}`);
    expect(known.filter((code) => !codes.has(code))).toEqual([]);
  });
});
