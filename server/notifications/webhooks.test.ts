// Webhooks and notifications end to end below the pages: an audited change becomes a signed POST to a real local
// receiver (signature and timestamp checked as a receiver would), failures are retried with backoff up to a bound,
// "send again" makes a new delivery, secrets never come back, and reviewers get a notification in the studio.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { auditLog, reviews, studioEvents, webhookDeliveries, webhooks } from "@/db/schema";
import { processDatasetVersion } from "../datasets/profile-jobs";
import { addQualityRule } from "../datasets/registry";
import { registerDatasetVersion } from "../datasets/register-version";
import { findModelVersion } from "../registry/model-versions";
import { systemActor, type Actor } from "../auth/actor";
import { createUserAsSystem } from "../auth/accounts";
import { recordAudit } from "../auth/audit";
import { zCreateUser } from "../auth/schema";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { setModelAlias } from "../registry/registered-models";
import { createTranslator } from "next-intl";
import { catalogues } from "@/messages";
import { sentenceText, type SentenceTranslator, type ServerSentence } from "@/lib/i18n/server-sentence";
import { appRouter } from "../root-router";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { dispatchStudioEvents, MAX_DELIVERY_ATTEMPTS, retryDelayMs } from "./dispatcher";
import { listMyNotifications, markNotificationsRead } from "./notifications";
import { verifyWebhookSignature } from "./signature";
import { sealSecret } from "../auth/secret-box";
import { createWebhook, listWebhookDeliveries, listWebhooks, resendWebhookDelivery, sealPlainWebhookSecrets, updateWebhook } from "./webhooks";

/** A stored sentence as a page says it in `locale`, from the shipped catalogues. */
function sayIn(locale: "en" | "fr", message: ServerSentence | null, fallback: string): string {
  return sentenceText(createTranslator({ locale, messages: catalogues[locale], namespace: "sentences" }) as unknown as SentenceTranslator, message, fallback);
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver as a customer would run it: records what arrives, answers with the next queued status (200 when none). */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[]; answers: number[] }> {
  const received: Received[] = [];
  const answers: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.statusCode = answers.shift() ?? 200;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/studio`, received, answers };
}

describe.each(testBackends)("webhooks and notifications on %s", (kind) => {
  let studio: TestStudio;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let ada: Actor;
  let rita: Actor;
  let erin: Actor;
  let vera: Actor;

  const asUser = async (username: string, role: Actor["role"]): Promise<Actor> => {
    const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username, password: "password-12345", role }));
    return { userId: user.userId, username, role, via: "session" };
  };
  const caller = (actor: Actor) => appRouter.createCaller({ ...studio.as(actor), actor, req: new Request("http://studio.test/api/trpc") });
  const requestReview = (actor: Actor, reviewId: number) =>
    studio.db.transaction((tx) => recordAudit(tx, actor, { action: "review.request", targetType: "review", targetId: String(reviewId), after: { model: "credit/3", dataset: "loans/2" } }));
  /** Makes every waiting delivery due now: what the clock would do after the backoff. */
  const makeDue = () => studio.db.update(webhookDeliveries).set({ nextAttemptAt: 0 }).where(eq(webhookDeliveries.status, "pending"));

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    receiver = await startReceiver();
    ada = await asUser("ada", "admin");
    rita = await asUser("rita", "reviewer");
    erin = await asUser("erin", "editor");
    vera = await asUser("vera", "viewer");
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answers.length = 0;
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver.server.close(resolve));
    await studio.close();
  });

  it("delivers a review request, signed, with a Slack-compatible text, and tells the reviewers in the studio", async () => {
    const { hookId, secret } = await createWebhook(studio.as(ada), { name: "reviews to chat", url: receiver.url, events: ["review.requested", "review.decided"] });
    expect(secret).toMatch(/^whsec_/);
    // The list shows which secret, never the secret itself.
    const [listed] = await listWebhooks(studio.as(ada));
    expect(listed.secretHint).toBe(`…${secret.slice(-4)}`);
    expect(JSON.stringify(await listWebhooks(studio.as(ada)))).not.toContain(secret);

    await requestReview(erin, 41);
    // Nothing is sent inside the request: the outbox waits for the dispatcher.
    expect(receiver.received).toHaveLength(0);
    await dispatchStudioEvents(studio.db);

    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    expect(verifyWebhookSignature(secret, { signature: got.headers["x-studio-signature"] as string, timestamp: got.headers["x-studio-timestamp"] as string, body: got.body })).toEqual({ ok: true });
    // A wrong secret, a changed body or an old timestamp are refused.
    expect(verifyWebhookSignature("whsec_someone-else-entirely", { signature: got.headers["x-studio-signature"] as string, timestamp: got.headers["x-studio-timestamp"] as string, body: got.body }).ok).toBe(false);
    expect(verifyWebhookSignature(secret, { signature: got.headers["x-studio-signature"] as string, timestamp: got.headers["x-studio-timestamp"] as string, body: got.body.replace("41", "42") }).ok).toBe(false);
    expect(verifyWebhookSignature(secret, { signature: got.headers["x-studio-signature"] as string, timestamp: got.headers["x-studio-timestamp"] as string, body: got.body }, Number(got.headers["x-studio-timestamp"]) + 3600).ok).toBe(false);
    const payload = JSON.parse(got.body);
    expect(payload).toMatchObject({ type: "review.requested", text: "erin requested a review of credit/3 (review #41).", data: { reviewId: 41, model: "credit/3" } });
    // The body is what it was before pages got catalogue codes: no code in it, the data as the audit gave it.
    expect(Object.keys(payload).sort()).toEqual(["at", "data", "id", "text", "type"]);
    expect(Object.keys(payload.data).sort()).toEqual(["actor", "actorId", "dataset", "model", "reviewId"]);
    expect(got.headers["x-studio-event"]).toBe("review.requested");

    const [delivery] = await listWebhookDeliveries(studio.as(ada), { hookId });
    expect(delivery).toMatchObject({ status: "delivered", responseCode: 200, attempts: 1, error: null, eventType: "review.requested" });

    // Those who can decide hear of it (not the requester, not a viewer).
    expect((await listMyNotifications(studio.as(rita))).items[0]).toMatchObject({ text: "erin requested a review of credit/3 (review #41).", link: "/reviews/41", read: false });
    expect((await listMyNotifications(studio.as(ada))).unread).toBe(1);
    expect((await listMyNotifications(studio.as(erin))).unread).toBe(0);
    expect((await listMyNotifications(studio.as(vera))).unread).toBe(0);
    // Marking read is one's own: rita's ids do nothing for ada.
    const ritaIds = (await listMyNotifications(studio.as(rita))).items.map((n) => n.notificationId);
    expect(await markNotificationsRead(studio.as(ada), { notificationIds: ritaIds })).toEqual({ marked: 0 });
    expect(await markNotificationsRead(studio.as(rita), { notificationIds: ritaIds })).toEqual({ marked: 1 });
    expect((await listMyNotifications(studio.as(rita))).unread).toBe(0);
    await updateWebhook(studio.as(ada), { hookId, enabled: false });
  });

  it("keeps secrets encrypted at rest, seals those an earlier version stored plain, and says when the key cannot open one", async () => {
    const own = await startReceiver();
    try {
      const storedRow = async (hookId: number) => (await studio.db.select().from(webhooks).where(eq(webhooks.hookId, hookId)))[0]!;
      const signedWith = async (hookId: number, secret: string) => {
        own.received.length = 0;
        await requestReview(erin, 77);
        await dispatchStudioEvents(studio.db);
        const [latest] = await listWebhookDeliveries(studio.as(ada), { hookId });
        const got = own.received.find((r) => r.headers["x-studio-delivery"] === String(latest!.deliveryId));
        return { latest, verified: got ? verifyWebhookSignature(secret, { signature: got.headers["x-studio-signature"] as string, timestamp: got.headers["x-studio-timestamp"] as string, body: got.body }).ok : false };
      };

      const { hookId } = await createWebhook(studio.as(ada), { name: "sealed", url: own.url, events: ["review.requested"], secret: "a-secret-kept-sealed-0002" });
      const row = await storedRow(hookId);
      expect(row).toMatchObject({ plainSecret: null, secretHint: "…0002" });
      expect(JSON.stringify(row)).not.toContain("a-secret-kept-sealed");
      expect((await signedWith(hookId, "a-secret-kept-sealed-0002")).verified).toBe(true);

      // A new secret is sealed the same way, and signs from the next delivery on.
      await updateWebhook(studio.as(ada), { hookId, secret: "another-secret-sealed-0003" });
      expect(JSON.stringify(await storedRow(hookId))).not.toContain("another-secret-sealed");
      expect((await listWebhooks(studio.as(ada))).find((h) => h.hookId === hookId)!.secretHint).toBe("…0003");
      expect((await signedWith(hookId, "another-secret-sealed-0003")).verified).toBe(true);
      await updateWebhook(studio.as(ada), { hookId, enabled: false });

      // A hook stored before encryption at rest (as migration 0028 leaves it) still signs, and is sealed at start-up.
      const [legacy] = await studio.db
        .insert(webhooks)
        .values({ name: "from before", url: own.url, plainSecret: "legacy-plain-secret-0004", secretHint: "…0004", events: ["review.requested"], createdBy: "ada", createdAt: 1, updatedAt: 1 })
        .returning({ hookId: webhooks.hookId });
      expect((await signedWith(legacy!.hookId, "legacy-plain-secret-0004")).verified).toBe(true);
      expect(await sealPlainWebhookSecrets(studio.db)).toBe(1);
      expect(await sealPlainWebhookSecrets(studio.db)).toBe(0);
      const sealedLegacy = await storedRow(legacy!.hookId);
      expect(sealedLegacy.plainSecret).toBeNull();
      expect(JSON.stringify(sealedLegacy)).not.toContain("legacy-plain-secret");
      expect((await signedWith(legacy!.hookId, "legacy-plain-secret-0004")).verified).toBe(true);

      // Sealed under a key this studio no longer has: nothing is sent, and the delivery log says why and what to do.
      await studio.db.update(webhooks).set({ sealedSecret: sealSecret("legacy-plain-secret-0004", "webhook-secret", randomBytes(32)) }).where(eq(webhooks.hookId, legacy!.hookId));
      const { latest, verified } = await signedWith(legacy!.hookId, "legacy-plain-secret-0004");
      expect(verified).toBe(false);
      expect(own.received).toHaveLength(0);
      expect(latest).toMatchObject({ status: "pending", responseCode: null, error: expect.stringMatching(/cannot be decrypted with this studio's key.*set a new secret/) });
      await updateWebhook(studio.as(ada), { hookId: legacy!.hookId, enabled: false });
    } finally {
      await new Promise((resolve) => own.server.close(resolve));
    }
  });

  it("announces a promotion to production, and only to hooks subscribed and enabled", async () => {
    const promotions = await createWebhook(studio.as(ada), { name: "promotions", url: `${receiver.url}?promotions`, events: ["model.promoted"] });
    await createWebhook(studio.as(ada), { name: "off", url: `${receiver.url}?off`, events: ["model.promoted"], enabled: false });
    const admin = studio.as(systemActor);
    await registerOnnxUpload(admin, { name: "bc", bytes: new Uint8Array(await readFile("fixtures/models/breast-cancer-rf-v1.onnx")) });
    await setModelAlias(admin, { name: "bc", alias: "production", version: "1", overrideReason: "webhook test: no review needed" });
    await dispatchStudioEvents(studio.db);
    expect(receiver.received.map((r) => r.headers["x-studio-event"])).toEqual(["model.promoted"]);
    expect(JSON.parse(receiver.received[0].body).text).toBe("system promoted version 1 of 'bc' to production.");
    expect((await listWebhookDeliveries(studio.as(ada), { hookId: promotions.hookId }))[0].status).toBe("delivered");
    await updateWebhook(studio.as(ada), { hookId: promotions.hookId, enabled: false });
  });

  it("retries a failing receiver with growing waits, stops after the bound, and sends again on request", async () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([10_000, 20_000, 40_000, 80_000]);
    const { hookId, secret } = await createWebhook(studio.as(ada), { name: "flaky", url: receiver.url, events: ["review.requested"], secret: "a-secret-of-the-customer-0001" });
    expect(secret).toBe("a-secret-of-the-customer-0001");
    receiver.answers.push(503);
    await requestReview(erin, 52);
    const before = Date.now();
    await dispatchStudioEvents(studio.db);
    let [delivery] = await listWebhookDeliveries(studio.as(ada), { hookId });
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, responseCode: 503, error: "The receiver answered HTTP 503." });
    // The delivery log says the error and the event in the admin's language.
    expect(delivery.errorMessage).toEqual({ code: "delivery.http_status", params: { status: 503 } });
    expect(sayIn("en", delivery.errorMessage, delivery.error!)).toBe(delivery.error);
    expect(sayIn("fr", delivery.errorMessage, delivery.error!)).toBe("Le destinataire a répondu HTTP 503.");
    expect(sayIn("en", delivery.message, delivery.text)).toBe(delivery.text);
    expect(sayIn("fr", delivery.message, delivery.text)).toBe("erin a demandé une revue de credit/3 (revue n° 52).");
    expect(delivery.nextAttemptAt! - before).toBeGreaterThanOrEqual(retryDelayMs(1) - 50);
    // Not due yet: nothing is sent.
    await dispatchStudioEvents(studio.db);
    expect(receiver.received).toHaveLength(1);

    receiver.answers.push(...Array(MAX_DELIVERY_ATTEMPTS).fill(500));
    for (let i = 1; i < MAX_DELIVERY_ATTEMPTS; i++) {
      await makeDue();
      await dispatchStudioEvents(studio.db);
    }
    [delivery] = await listWebhookDeliveries(studio.as(ada), { hookId });
    expect(delivery).toMatchObject({ status: "failed", attempts: MAX_DELIVERY_ATTEMPTS, responseCode: 500, nextAttemptAt: null });
    expect(receiver.received).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    // Every retry carried the same body and id, freshly signed.
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);

    receiver.answers.length = 0;
    const again = await resendWebhookDelivery(studio.as(ada), delivery.deliveryId);
    await dispatchStudioEvents(studio.db);
    const log = await listWebhookDeliveries(studio.as(ada), { hookId });
    expect(log.map((d) => [d.deliveryId, d.status])).toEqual([
      [again.deliveryId, "delivered"],
      [delivery.deliveryId, "failed"],
    ]);
    // The audit log tells who configured and re-sent, never the secret.
    const audit = await studio.db.select().from(auditLog);
    expect(audit.filter((a) => a.action.startsWith("webhook.")).map((a) => a.action)).toContain("webhook.resend");
    expect(JSON.stringify(audit)).not.toContain("a-secret-of-the-customer-0001");
    await updateWebhook(studio.as(ada), { hookId, enabled: false });
  });

  it("records an unreachable receiver as an error, not a crash", async () => {
    const closed = await startReceiver();
    const url = closed.url;
    await new Promise((resolve) => closed.server.close(resolve));
    const { hookId } = await createWebhook(studio.as(ada), { name: "gone", url, events: ["review.requested"] });
    await requestReview(erin, 53);
    await dispatchStudioEvents(studio.db);
    const [delivery] = await listWebhookDeliveries(studio.as(ada), { hookId });
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, responseCode: null });
    expect(delivery.error).toMatch(/^Could not reach the receiver/);
    expect(delivery.errorMessage).toMatchObject({ code: "delivery.unreachable_because", params: { cause: expect.any(String) } });
    expect(sayIn("fr", delivery.errorMessage, delivery.error!)).toBe(`Impossible de joindre le destinataire (${delivery.errorMessage!.params.cause}).`);
    await updateWebhook(studio.as(ada), { hookId, enabled: false });
  });

  it("tells the requester, and only them, when their review is decided", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "notify-datasets-"));
    try {
      const admin = studio.as(systemActor);
      await registerOnnxUpload(admin, { name: "decided", bytes: new Uint8Array(await readFile("fixtures/models/breast-cancer-rf-v1.onnx")) });
      const file = path.join(root, "upload.csv");
      await writeFile(file, "a,y\n1,0\n2,1\n");
      const dataset = await registerDatasetVersion(admin, root, { name: "decided-data", format: "csv", masking: {} }, createReadStream(file), { profileLater: true });
      const { row: version } = await findModelVersion(studio.db, "decided", "1");
      const now = Date.now();
      const [review] = await studio.db
        .insert(reviews)
        .values({ modelVersionId: version.versionId, datasetVersionId: dataset.versionId, labelColumn: "y", criteria: {}, context: {}, status: "approved", requestedById: erin.userId, requestedBy: erin.username, createdAt: now, updatedAt: now })
        .returning({ reviewId: reviews.reviewId });
      const before = { erin: (await listMyNotifications(studio.as(erin))).unread, rita: (await listMyNotifications(studio.as(rita))).unread };
      await studio.db.transaction((tx) =>
        recordAudit(tx, rita, { action: "review.decide", targetType: "review", targetId: String(review.reviewId), before: { status: "ready" }, after: { status: "approved" }, meta: { decision: "approve" } }),
      );
      await dispatchStudioEvents(studio.db);
      const mine = await listMyNotifications(studio.as(erin));
      expect(mine.unread).toBe(before.erin + 1);
      expect(mine.items[0]).toMatchObject({ type: "review.decided", text: `rita decided review #${review.reviewId}: approve; the review is now approved.`, link: `/reviews/${review.reviewId}` });
      expect((await listMyNotifications(studio.as(rita))).unread).toBe(before.rita);
      // The bell words it in the reader's language from the event's stored wording; in English exactly as stored.
      const decided = mine.items[0]!;
      expect(decided.message).toMatchObject({ code: "event.review_decided", params: { actor: "rita", reviewId: String(review.reviewId) } });
      expect(sayIn("en", decided.message, decided.text)).toBe(decided.text);
      const inFrench = `rita a statué sur la revue n° ${review.reviewId}\u00a0: approbation\u00a0; la revue est maintenant approuvée.`;
      expect(sayIn("fr", decided.message, decided.text)).toBe(inFrench);
      const requested = (await listMyNotifications(studio.as(rita))).items.find((n) => n.type === "review.requested")!;
      expect(sayIn("en", requested.message, requested.text)).toBe(requested.text);
      expect(sayIn("fr", requested.message, requested.text)).toMatch(/^erin a demandé une revue de credit\/3 \(revue n° \d+\)\.$/);
      // An event stored before wordings were kept is worded again from its values, as the bell did then.
      await studio.db.update(studioEvents).set({ message: null });
      const legacy = (await listMyNotifications(studio.as(erin))).items[0]!;
      expect(sayIn("fr", legacy.message, legacy.text)).toBe(inFrench);
      // A notification whose event was pruned keeps its stored words.
      expect(sayIn("fr", null, requested.text)).toBe(requested.text);
      // All read at once.
      await caller(erin).notifications.markRead({});
      expect((await caller(erin).notifications.mine()).unread).toBe(0);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("announces a dataset version that fails its quality rules when it is profiled", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "notify-quality-"));
    try {
      const { hookId } = await createWebhook(studio.as(ada), { name: "quality", url: receiver.url, events: ["dataset.quality_failed"] });
      const file = path.join(root, "upload.csv");
      await writeFile(file, "income,y\n10,0\n,1\n");
      const meta = { name: "incomes", format: "csv" as const, masking: {} };
      const first = await registerDatasetVersion(studio.as(systemActor), root, meta, createReadStream(file), { profileLater: true });
      await addQualityRule(studio.as(systemActor), "incomes", { kind: "not_null", column: "income" });
      await processDatasetVersion(studio.db, root, first.versionId);
      await dispatchStudioEvents(studio.db);
      expect(receiver.received).toHaveLength(1);
      expect(JSON.parse(receiver.received[0].body)).toMatchObject({ type: "dataset.quality_failed", data: { dataset: "incomes", version: 1 } });
      expect(JSON.parse(receiver.received[0].body).text).toMatch(/^Dataset 'incomes' version 1 failed its quality rules: /);
      // A version that passes says nothing.
      await writeFile(file, "income,y\n10,0\n12,1\n");
      const second = await registerDatasetVersion(studio.as(systemActor), root, meta, createReadStream(file), { profileLater: true });
      await processDatasetVersion(studio.db, root, second.versionId);
      await dispatchStudioEvents(studio.db);
      expect(receiver.received).toHaveLength(1);
      expect((await studio.db.select().from(studioEvents)).filter((e) => e.type === "dataset.quality_failed")).toHaveLength(1);
      await updateWebhook(studio.as(ada), { hookId, enabled: false });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("accepts only http(s) URLs and long enough secrets, and only from admins", async () => {
    for (const url of ["ftp://example.com/hook", "file:///etc/passwd", "javascript:alert(1)", "https://user:pw@example.com/"]) {
      await expect(caller(ada).notifications.createWebhook({ name: "bad", url, events: ["review.requested"] })).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringContaining("http:// or https://"),
      });
    }
    await expect(caller(ada).notifications.createWebhook({ name: "short", url: receiver.url, secret: "short", events: ["review.requested"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller(ada).notifications.createWebhook({ name: "none", url: receiver.url, events: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller(erin).notifications.createWebhook({ name: "mine", url: receiver.url, events: ["review.requested"] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(caller(rita).notifications.webhooks()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(caller(ada).notifications.resendDelivery({ deliveryId: 999_999 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
