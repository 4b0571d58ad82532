"use client";
// Light, dark, or whatever the operating system prefers; remembered for a year in a cookie.
import { useState } from "react";
import { THEME_COOKIE, themeAttribute, type ThemeChoice } from "@/lib/theme";
import styles from "./shell.module.css";

export function ThemePicker({ initial }: { initial: ThemeChoice }) {
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
      <span>Theme</span>
      <select value={choice} onChange={(event) => choose(event.target.value as ThemeChoice)}>
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
