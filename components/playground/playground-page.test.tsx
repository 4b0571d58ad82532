// The playground rendered to HTML from cached registry answers: refusal of ZipMap models, the generated form, and the controls a journey drives.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { readFileSync } from "node:fs";
import { NextIntlClientProvider } from "next-intl";
import { renderToStaticMarkup } from "react-dom/server";
import superjson from "superjson";
import { describe, expect, it, vi } from "vitest";
import { TRPCProvider } from "@/components/trpc-provider";
import { introspectOnnx } from "@/server/registry/onnx-introspection";
import type { ModelVersion, ModelVersionDetail } from "@/server/registry/schema";
import type { AppRouter } from "@/server/root-router";
import type { Locale } from "@/lib/i18n/locales";
import { catalogues } from "@/messages";
import { PlaygroundPage } from "./playground-page";

vi.mock("next/navigation", () => ({
  usePathname: () => "/models/m/versions/1/playground",
  useSearchParams: () => new URLSearchParams(""),
  useRouter: () => ({ push: () => undefined, replace: () => undefined, prefetch: () => undefined }),
}));

function versionOf(name: string, version: string): ModelVersion {
  return {
    name,
    version,
    creation_timestamp: 1,
    last_updated_timestamp: 1,
    user_id: "alice",
    current_stage: "None",
    description: "",
    source: "models:/x",
    status: "READY",
    tags: [],
    aliases: version === "1" ? ["champion"] : [],
  };
}

function render(name: string, fixture: string, extra: { lineage?: unknown; profileColumns?: unknown[]; detailFromServerPage?: boolean; locale?: Locale } = {}) {
  const queryClient = new QueryClient();
  // Never called: every answer the page needs is already in the cache.
  const trpcClient = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "http://127.0.0.1:9/api/trpc", transformer: superjson })] });
  const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
  const detail: ModelVersionDetail = {
    ...versionOf(name, "1"),
    storage_location: "",
    onnx_path: "model.onnx",
    introspection: introspectOnnx(readFileSync(`fixtures/models/${fixture}.onnx`)),
    lineage: extra.lineage ?? null,
  };
  if (!extra.detailFromServerPage) queryClient.setQueryData(trpc.registry.version.queryKey({ name, version: "1" }), detail);
  queryClient.setQueryData(trpc.registry.model.queryKey({ name }), {
    name,
    creation_timestamp: 1,
    last_updated_timestamp: 1,
    user_id: "alice",
    description: "",
    latest_versions: [],
    tags: [],
    aliases: [{ alias: "champion", version: "1" }],
    versions: [versionOf(name, "2"), versionOf(name, "1")],
  });
  if (extra.profileColumns) {
    queryClient.setQueryData(trpc.datasets.version.queryKey({ name: "iris", version: 3 }), { profile: { columns: extra.profileColumns } } as never);
  }
  const locale = extra.locale ?? "en";
  return renderToStaticMarkup(
    <NextIntlClientProvider locale={locale} messages={catalogues[locale]} timeZone="UTC">
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <PlaygroundPage name={name} version="1" ortVersion="1.30.0" initialDetail={extra.detailFromServerPage ? detail : null} />
        </TRPCProvider>
      </QueryClientProvider>
    </NextIntlClientProvider>,
  );
}

function labelledIds(html: string): Map<string, string> {
  return new Map([...html.matchAll(/<label for="([^"]+)">([^<]+)<\/label>/g)].map((m) => [m[2], m[1]]));
}

describe("PlaygroundPage", () => {
  it("refuses a ZipMap model, says why and links to the version page to derive one without it", () => {
    const html = render("iris-zipmap", "iris-logreg-zipmap");
    expect(html).toContain("This version cannot run in the browser");
    expect(html).toContain("sequence&lt;map&lt;int64, tensor&lt;float32&gt;&gt;&gt;");
    expect(html).toContain('href="/models/iris-zipmap/versions/1"');
    expect(html).toContain("derive a version without the ZipMap node");
    expect(html).not.toContain(">Predict</button>");
  });

  it("generates one labelled field per input, selects nothing unknown, and shows the controls", () => {
    const html = render("credit", "credit-logreg");
    const labels = labelledIds(html);
    for (const column of ["age", "sex", "income", "employment_years", "loan_amount", "duration_months", "purpose", "housing", "existing_credits", "Inputs as JSON", "Compare with", "Feature to sweep"]) {
      expect(html).toContain(`id="${labels.get(column)}"`);
    }
    expect(html).toMatch(new RegExp(`<input id="${labels.get("sex")}" type="text"`));
    expect(html).toMatch(new RegExp(`<input id="${labels.get("age")}" type="number"`));
    for (const button of ["Predict", "Score file", "Compare", "Draw curve"]) expect(html).toMatch(new RegExp(`<button[^>]*>${button}</button>`));
    expect(html).toContain('aria-label="Prediction"');
    expect(html).toContain("Version 2</option>");
    expect(html).toContain("Loading the model…");
    expect(html).toContain('href="/models/credit/versions/1"');
  });

  it("names a matrix input's fields after the training dataset and shows their ranges", () => {
    const columns = ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm", "species"].map((name, i) => ({
      name,
      type: "number",
      min: i,
      max: i + 4,
      mean: i + 2,
      topValues: null,
    }));
    const lineage = { datasets: [{ name: "iris", digest: "d", context: "training", registry: { datasetName: "iris", version: 3, qualityStatus: "passed", qualityReason: null } }] };
    const html = render("iris", "iris-logreg", { lineage, profileColumns: columns });
    const labels = labelledIds(html);
    expect([...labels.keys()].slice(0, 4)).toEqual(["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"]);
    expect(html).toContain("training range 2 – 6");
    expect(render("iris", "iris-logreg", { lineage, profileColumns: columns, locale: "fr" })).toContain("plage d’entraînement 2 – 6");
    expect(html).toMatch(new RegExp(`id="${labels.get("petal_length_cm")}" type="number" step="any" class="[^"]*" min="2" max="6" aria-describedby="[^"]+-hint" name="field:petal_length_cm" value="4"`));
    expect(html).toContain('href="/datasets/iris/versions/3"');
  });

  it("renders the form and an enabled Predict with the HTML from the version the server page read (no request first)", () => {
    const html = render("credit", "credit-logreg", { detailFromServerPage: true });
    expect(html).not.toContain("Loading the version…");
    expect(labelledIds(html).has("loan_amount")).toBe(true);
    // While the page's runtime loads, the server answers Predict: the button is not disabled. It submits the form, which
    // the server answers before (or without) the page's JavaScript; its fields are named for that post.
    expect(html).toMatch(/<button type="submit" class="[^"]*">Predict<\/button><\/div><\/form>/);
    expect(html).toMatch(/<input type="hidden" name="model" value="credit"\/><input type="hidden" name="modelVersion" value="1"\/>/);
    expect(html).toMatch(new RegExp(`id="${labelledIds(html).get("loan_amount")}" type="number"[^>]* name="field:loan_amount"`));
    expect(render("credit", "credit-logreg")).toMatch(/<button type="submit" class="[^"]*">Predict<\/button>/);
  });

  it("speaks French to a French reader: heading, runtime facts, form, Predict and the ZipMap refusal", () => {
    const html = render("credit", "credit-logreg", { detailFromServerPage: true, locale: "fr" });
    expect(html).toContain(`<h1>Bac à sable\u00a0: credit <span class="`);
    expect(html).toContain('aria-label="Moteur d’exécution"');
    expect(html).toContain("onnxruntime-web 1.30.0, moteur wasm (version SIMD)");
    expect(html).toContain("Chargement du modèle…");
    expect(html).toContain("Isolation cross-origin\u00a0: …");
    expect(labelledIds(html).has("Entrées en JSON")).toBe(true);
    expect(html).toMatch(/<button type="submit" class="[^"]*">Prédire<\/button>/);
    expect(html).toContain('aria-label="Prédiction"');
    expect(html).toContain("Remplissez les entrées et appuyez sur Prédire.");
    expect(html).toContain('>Modèles</a> / <a href="/models/credit">credit</a> / <a href="/models/credit/versions/1">Version 1</a>');
    for (const english of ["Predict<", "Loading the model", "Inputs as JSON", "Fill the inputs", "Cross-origin isolated", "wasm backend"]) expect(html).not.toContain(english);
    // The tools below the form: batch scoring, champion/challenger, latency, response curve, field hints.
    for (const button of ["Calculer le fichier", "Comparer", "Mesurer la latence", "Tracer la courbe"]) expect(html).toMatch(new RegExp(`<button[^>]*>${button}</button>`));
    for (const label of ["Fichier CSV (déposez-le ici ou choisissez-le)", "Comparer avec", "Variable à balayer"]) expect(labelledIds(html).has(label), label).toBe(true);
    for (const title of ["Calcul par lot", "Champion contre challenger", "Latence dans ce navigateur", "Courbe de réponse"]) expect(html).toContain(`>${title}</h2>`);
    expect(html).toContain("Exécute les entrées actuelles pour s’échauffer (au moins 3\u202f000 fois et 1 s, puis jusqu’à ce que sa vitesse ne s’améliore plus, au plus 5 s), 2\u202f000 fois une ligne à la fois");
    expect(html).toContain("50 points sur ±3× la valeur actuelle (pas de profil d’entraînement)\u00a0; les autres entrées");
    for (const english of ["Score file", "Batch scoring", "Champion vs challenger", "Measure latency", "Draw curve", "Feature to sweep", "Compare with", "training range", "Other columns are ignored"]) {
      expect(html, english).not.toContain(english);
    }
    const refused = render("iris-zipmap", "iris-logreg-zipmap", { locale: "fr" });
    expect(refused).toContain("Cette version ne peut pas s’exécuter dans le navigateur");
    expect(refused).toContain('Ouvrez la <a href="/models/iris-zipmap/versions/1">version 1</a> et dérivez-en une version sans le nœud ZipMap\u00a0:');
  });

  it("falls back to x0…x3 without a training dataset", () => {
    const labels = labelledIds(render("iris", "iris-logreg"));
    expect([...labels.keys()].slice(0, 4)).toEqual(["x0", "x1", "x2", "x3"]);
  });
});
