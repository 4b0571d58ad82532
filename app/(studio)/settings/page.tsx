// The user's own settings: the studio language (saved on the account), and a way to the API tokens.
import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "@/components/ui/intent-link";
import { getTranslations } from "next-intl/server";
import { LanguagePicker } from "@/components/shell/language-picker";
import { isLocale, LOCALE_COOKIE } from "@/lib/i18n/locales";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("settings"))("title") };
}

export default async function SettingsPage() {
  const t = await getTranslations("settings");
  // The cookie mirrors the account's choice (sign-in sets it from the account; the picker saves both).
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  return (
    <>
      <h1>{t("title")}</h1>
      <section aria-labelledby="settings-language">
        <h2 id="settings-language">{t("languageHeading")}</h2>
        <p>{t("languageHint")}</p>
        <LanguagePicker initial={isLocale(chosen) ? chosen : "browser"} id="settings-language-picker" testId="settings-language-picker" />
      </section>
      <p>
        <Link href="/settings/tokens">{t("tokensLink")}</Link>
      </p>
    </>
  );
}
