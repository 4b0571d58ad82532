"use client";
// The studio language: English, French, or the browser's. Saved on the account (so it follows the user to any
// browser) and in the language cookie the server reads, then the page is rendered again in the new language.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { isLocale, localeCookie, locales, type Locale } from "@/lib/i18n/locales";
import styles from "./shell.module.css";

export type LanguageChoice = Locale | "browser";

/** Writes (or clears) the cookie the server reads for the request's language. */
function rememberLocale(locale: Locale | null) {
  document.cookie = localeCookie(locale);
}

export function LanguagePicker({ initial, id = "language-picker", testId = "language-picker" }: { initial: LanguageChoice; id?: string; testId?: string }) {
  const t = useTranslations("shell.language");
  const names = useTranslations("common.languageNames");
  const trpc = useTRPC();
  const router = useRouter();
  const [choice, setChoice] = useState<LanguageChoice>(initial);
  const save = useMutation(
    trpc.auth.setLocale.mutationOptions({
      onSuccess: (_, input) => {
        rememberLocale(input.locale);
        router.refresh();
      },
    }),
  );
  function choose(value: string) {
    const next: LanguageChoice = isLocale(value) ? value : "browser";
    setChoice(next);
    save.mutate({ locale: next === "browser" ? null : next });
  }
  return (
    <span className={styles.themePicker}>
      <label htmlFor={id}>{t("label")}</label>
      <select id={id} data-testid={testId} value={choice} disabled={save.isPending} onChange={(event) => choose(event.target.value)}>
        <option value="browser">{t("browser")}</option>
        {locales.map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {names(locale)}
          </option>
        ))}
      </select>
      {save.isPending ? <span role="status">{t("saving")}</span> : null}
      {save.error ? <span role="alert">{t("failed", { message: save.error.message })}</span> : null}
    </span>
  );
}
