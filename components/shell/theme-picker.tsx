"use client";
// Light, dark, or whatever the operating system prefers; remembered for a year in a cookie.
import { useTranslations } from "next-intl";
import { useState } from "react";
import { THEME_COOKIE, themeAttribute, type ThemeChoice } from "@/lib/theme";
import styles from "./shell.module.css";

export function ThemePicker({ initial }: { initial: ThemeChoice }) {
  const t = useTranslations("shell.theme");
  const [choice, setChoice] = useState<ThemeChoice>(initial);
  function choose(next: ThemeChoice) {
    setChoice(next);
    document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
    const attribute = themeAttribute(next);
    if (attribute) document.documentElement.dataset.theme = attribute;
    else delete document.documentElement.dataset.theme;
  }
  return (
    <label className={styles.themePicker}>
      <span>{t("label")}</span>
      <select value={choice} onChange={(event) => choose(event.target.value as ThemeChoice)}>
        <option value="system">{t("system")}</option>
        <option value="light">{t("light")}</option>
        <option value="dark">{t("dark")}</option>
      </select>
    </label>
  );
}
