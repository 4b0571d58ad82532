// The deployments page rendered from cached answers: aliases with versions and health, rollback only with a previous
// version, the promote gate's three outcomes, and the alias history.
import { describe, expect, it, vi } from "vitest";
import { renderWithCache } from "@/components/models/render-with-cache";
import type { AliasEvent, Deployment } from "@/server/monitoring/schema";
import type { ProductionGate } from "@/server/review/schema";
import { AliasHistoryTable, DeploymentsPage } from "./deployments-page";
import { DeploymentsTable } from "./deployments-table";
import { PromoteDecision } from "./promote-form";
import { sentence } from "@/lib/i18n/server-sentence";

vi.mock("next/navigation", () => ({
  usePathname: () => "/deployments",
  useSearchParams: () => new URLSearchParams(),
  useRouter: () => ({ push: () => undefined, replace: () => undefined, prefetch: () => undefined }),
}));

const since = Date.UTC(2026, 10, 20, 8, 30);

function deployment(overrides: Partial<Deployment>): Deployment {
  return { modelName: "breast-cancer-rf", alias: "production", version: "4", since, by: "erin", previousVersion: "3", flagReasons: [], flagMessages: [], ...overrides };
}

const deployments: Deployment[] = [
  deployment({ alias: "challenger", version: "5", previousVersion: null }),
  deployment({ flagReasons: ["dataset drift: 3 of 5 features drifted (share 0.6 ≥ 0.5)", "live accuracy 0.71 < 0.8"], flagMessages: [null, null] }),
  deployment({ modelName: "churn", version: "1", previousVersion: null, since: null, by: null }),
];

function renderPage(permissions: string[], data: Deployment[] = deployments) {
  return renderWithCache(<DeploymentsPage />, permissions, (trpc, queryClient) => {
    queryClient.setQueryData(trpc.monitoring.deployments.queryKey(), data);
    queryClient.setQueryData(trpc.registry.listModels.queryKey({}), []);
  });
}

describe("DeploymentsTable", () => {
  it("lists every alias with its version link, since (relative and absolute), who, and production first", () => {
    const html = renderWithCache(<DeploymentsTable deployments={deployments} now={since + 2 * 3600_000} canPromote />, ["studio.read"], () => undefined);
    expect(html).toContain('aria-label="Deployments"');
    expect(html).toContain('href="/models/breast-cancer-rf/versions/4"');
    expect(html).toContain('href="/models/breast-cancer-rf/versions/5"');
    expect(html).toContain("2 hours ago");
    expect(html).toContain("2026-11-20 08:30:00 UTC");
    expect(html).toContain("erin");
    expect(html.indexOf(">production<")).toBeLessThan(html.indexOf(">challenger<"));
    expect(html).toContain('href="/models/breast-cancer-rf/monitoring"');
    expect(html).toContain('href="/models/churn/monitoring"');
  });

  it("says which bytes and which approved review answer each alias, and when none does", () => {
    const answered = [
      deployment({ modelDigest: "ab12".repeat(16), reviewId: 17 }),
      deployment({ alias: "challenger", version: "5", previousVersion: null, modelDigest: "cd34".repeat(16), reviewId: null }),
    ];
    const html = renderWithCache(<DeploymentsTable deployments={answered} now={since} canPromote />, ["studio.read"], () => undefined);
    expect(html).toContain(">Answered by<");
    expect(html).toContain("sha256:ab12ab12ab12…");
    expect(html).toContain(`title="sha256:${"ab12".repeat(16)}"`);
    expect(html).toContain('href="/reviews/17"');
    expect(html).toContain("review #17");
    expect(html).toContain("no approved review");
  });

  it("shows the health flag with its reasons in text, and marks an unflagged production alias healthy", () => {
    const html = renderWithCache(<DeploymentsTable deployments={deployments} now={since} canPromote />, ["studio.read"], () => undefined);
    expect(html).toContain("flagged");
    expect(html).toContain("live accuracy 0.71 &lt; 0.8");
    expect(html).toContain("dataset drift: 3 of 5 features drifted");
    expect(html).toContain("healthy");
  });

  it("offers Roll back to the previous version, and a disabled button with the reason when there is none", () => {
    const html = renderWithCache(<DeploymentsTable deployments={deployments} now={since} canPromote />, ["studio.read"], () => undefined);
    expect(html).toMatch(/<button[^>]*>Roll back to v3<\/button>/);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>Roll back<\/button>/);
    expect(html).toContain("No earlier production version to roll back to.");
    expect(html).not.toContain("Roll back to vnull");
  });

  it("hides the rollback button from readers without the promote permission", () => {
    const html = renderWithCache(<DeploymentsTable deployments={deployments} now={since} canPromote={false} />, ["studio.read"], () => undefined);
    expect(html).not.toContain("Roll back to v3</button>");
    expect(html).toContain("Rollback to v3 needs the editor or admin role.");
  });
});

describe("DeploymentsPage", () => {
  it("has the Deployments heading, the promote form for editors, and a history per model", () => {
    const html = renderPage(["studio.read", "deployments.promote"]);
    expect(html).toMatch(/<h1>Deployments<\/h1>/);
    expect(html).toContain("Promote to production");
    expect(html).toContain("Alias history");
    expect(html).toContain("<summary>breast-cancer-rf</summary>");
    expect(html).toContain("<summary>churn</summary>");
  });

  it("tells viewers who may promote, and says how to start when nothing is deployed", () => {
    const html = renderPage(["studio.read"], []);
    expect(html).not.toContain("Promote to production");
    expect(html).toContain("Promotion and rollback need the editor or admin role.");
    expect(html).toContain("No model has an alias yet.");
  });
});

describe("PromoteDecision", () => {
  const approved: ProductionGate = { approved: true, approvedReviewId: 7, message: "Review #7 approved v4 on 2026-11-19." };
  const pending: ProductionGate = { approved: false, approvedReviewId: null, message: "v4 has no approved review yet." };

  function render(gate: ProductionGate, isAdmin: boolean) {
    return renderWithCache(<PromoteDecision model="breast-cancer-rf" version="4" gate={gate} isAdmin={isAdmin} />, ["studio.read"], () => undefined);
  }

  it("shows the gate's message and an enabled Promote when approved", () => {
    const html = render(approved, false);
    expect(html).toContain("Review #7 approved v4");
    expect(html).toMatch(/<button type="submit"[^>]*>Promote<\/button>/);
    expect(html).not.toMatch(/<button type="submit"[^>]*disabled=""[^>]*>Promote/);
  });

  it("points a non-admin to requesting a review when not approved, with Promote disabled", () => {
    const html = render(pending, false);
    expect(html).toContain("v4 has no approved review yet.");
    expect(html).toContain('href="/reviews/new?model=breast-cancer-rf&amp;version=4"');
    expect(html).toMatch(/<button type="submit"[^>]*disabled=""[^>]*>Promote<\/button>/);
    expect(html).not.toContain("Override reason");
  });

  it("asks an admin for an override reason when not approved", () => {
    const html = render(pending, true);
    expect(html).toContain("Override reason");
    expect(html).not.toContain("/reviews/new");
  });
});

describe("AliasHistoryTable", () => {
  it("lists changes newest first with who, from → to, kind and reason", () => {
    const events: AliasEvent[] = [
      { at: since, by: "erin", alias: "production", version: "3", previousVersion: null, kind: "set", reason: null, modelDigest: "5e".repeat(32), reviewId: 9 },
      { at: since + 1000, by: "root", alias: "production", version: "4", previousVersion: "3", kind: "override", reason: "hotfix for the intake form" },
      { at: since + 2000, by: "erin", alias: "production", version: "3", previousVersion: "4", kind: "rollback", reason: null },
    ];
    const html = renderWithCache(<AliasHistoryTable name="breast-cancer-rf" events={events} now={since + 5000} />, ["studio.read"], () => undefined);
    expect(html).toContain('aria-label="Alias history of breast-cancer-rf"');
    expect(html.indexOf("rollback")).toBeLessThan(html.indexOf("admin override"));
    expect(html).toContain("v4 → v3");
    expect(html).toContain("— → v3");
    expect(html).toContain("hotfix for the intake form");
    expect(html).toContain(`sha256:${"5e".repeat(6)}…`);
    expect(html).toContain('href="/reviews/9"');
  });
});

describe("the Deployments page in French", () => {
  const withdrawn = deployment({
    flagReasons: ["Approval withdrawn: rita withdrew the approval of review #7 (accuracy fell). This version no longer has an approved review: roll back, or get it approved again."],
    flagMessages: [sentence("flag.approval_withdrawn", { by: "rita", reviewId: "7", reason: "accuracy fell" })],
  });

  it("says the table, its flags and the rollback in French, with no English heading or button left", () => {
    const html = renderWithCache(<DeploymentsTable deployments={[withdrawn, deployments[2]!]} now={since} canPromote />, ["studio.read"], () => undefined, "fr");
    expect(html).toContain('aria-label="Déploiements"');
    for (const header of ["Modèle", "Garanti par", "Depuis, par", "Santé", "Actions"]) expect(html).toContain(`<th scope="col">${header}</th>`);
    expect(html).toContain("Approbation retirée\u00a0: rita a retiré son approbation de la revue n° 7 (accuracy fell).");
    expect(html).toMatch(/<button[^>]*>Revenir à v3<\/button>/);
    expect(html).toContain("Aucune version de production antérieure vers laquelle revenir.");
    expect(html).toContain("par erin");
    expect(html).not.toMatch(/>(Model|Health|Since, by|Roll back[^<]*|Monitoring|no approved review)</);
  });

  it("says the page, the promote form with the gate's verdict, and the alias history in French", () => {
    const page = renderWithCache(<DeploymentsPage />, ["studio.read", "deployments.promote"], (trpc, queryClient) => {
      queryClient.setQueryData(trpc.monitoring.deployments.queryKey(), deployments);
      queryClient.setQueryData(trpc.registry.listModels.queryKey({}), []);
    }, "fr");
    expect(page).toMatch(/<h1>Déploiements<\/h1>/);
    expect(page).toContain("Mettre en production");
    expect(page).toContain("Choisissez un modèle…");
    expect(page).toContain("Historique des alias");
    const gate: ProductionGate = {
      approved: false,
      approvedReviewId: null,
      message: "Version 4 of 'breast-cancer-rf' has no approved acceptance review, so it cannot take the production alias. It has not been reviewed yet. Get a review approved first; an admin may override with a reason, which is audited.",
      messageSentence: sentence("gate.not_approved", { version: "4", model: "breast-cancer-rf", latest: [sentence("gate.not_reviewed")] }),
    };
    const decision = renderWithCache(<PromoteDecision model="breast-cancer-rf" version="4" gate={gate} isAdmin={false} />, ["studio.read"], () => undefined, "fr");
    expect(decision).toContain("Porte de revue\u00a0: non approuvée.");
    expect(decision).toContain("La version 4 de «\u00a0breast-cancer-rf\u00a0» n&#x27;a pas de revue d&#x27;acceptation approuvée");
    expect(decision).toContain("Seul un administrateur peut passer outre la porte.");
    // The same sentence in English is the server's message, word for word.
    const english = renderWithCache(<PromoteDecision model="breast-cancer-rf" version="4" gate={gate} isAdmin={false} />, ["studio.read"], () => undefined);
    expect(english).toContain(gate.message.replaceAll("'", "&#x27;"));
    const history = renderWithCache(
      <AliasHistoryTable name="churn" events={[{ at: since, by: "root", alias: "production", version: "4", previousVersion: "3", kind: "override", reason: "hotfix" }]} now={since} />,
      ["studio.read"],
      () => undefined,
      "fr",
    );
    expect(history).toContain('aria-label="Historique des alias de churn"');
    expect(history).toContain("passage outre la porte de revue (admin)");
  });
});
