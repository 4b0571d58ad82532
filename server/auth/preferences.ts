// The signed-in user's own preferences: the studio language (null = follow the browser). Stored on the account so
// it follows the user to any browser; the sign-in response sets the language cookie from it.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema";
import { locales, type Locale } from "@/lib/i18n/locales";
import type { ServiceContext } from "../service-context";
import { recordAudit } from "./audit";
import { authorize } from "./permissions";

export const zLocalePreference = z.object({
  locale: z.enum(locales, { error: `Language must be one of ${locales.join(", ")}, or null to follow the browser.` }).nullable(),
});

export interface Preferences {
  locale: Locale | null;
  /** False for actors without an account (STUDIO_AUTH=off): the choice then lives only in the browser's cookie. */
  stored: boolean;
}

function hasAccount(ctx: ServiceContext): boolean {
  return ctx.actor.via !== "local" && ctx.actor.via !== "system";
}

export function storedLocale(value: string | null | undefined): Locale | null {
  return (locales as readonly string[]).includes(value ?? "") ? (value as Locale) : null;
}

export async function getPreferences(ctx: ServiceContext): Promise<Preferences> {
  if (!hasAccount(ctx)) return { locale: null, stored: false };
  const [row] = await ctx.db.select({ locale: users.locale }).from(users).where(eq(users.userId, ctx.actor.userId));
  return { locale: storedLocale(row?.locale), stored: Boolean(row) };
}

/** Any signed-in user may choose their own language; the change is audited like other account changes. */
export async function setLocalePreference(ctx: ServiceContext, locale: Locale | null): Promise<Preferences> {
  // Every signed-in role may choose the language it reads the studio in (a labeller its labelling pages).
  authorize(ctx.actor, "account.preferences");
  if (!hasAccount(ctx)) return { locale, stored: false };
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select({ locale: users.locale }).from(users).where(eq(users.userId, ctx.actor.userId));
    if (!row) return { locale, stored: false };
    const before = storedLocale(row.locale);
    if (before === locale) return { locale, stored: true };
    await tx.update(users).set({ locale, updatedAt: Date.now() }).where(eq(users.userId, ctx.actor.userId));
    await recordAudit(tx, ctx.actor, { action: "user.locale", targetType: "user", targetId: ctx.actor.username, before: { locale: before }, after: { locale } });
    return { locale, stored: true };
  });
}
