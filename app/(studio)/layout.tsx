// The studio shell around every signed-in page: skip link, header with the theme and account menu, side navigation.
import { cookies } from "next/headers";
import Link from "@/components/ui/intent-link";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { AuthOffBanner, UserMenu } from "@/components/auth/user-menu";
import { CommandPalette } from "@/components/shell/command-palette";
import { StudioNav } from "@/components/shell/studio-nav";
import styles from "@/components/shell/shell.module.css";
import { LanguagePicker } from "@/components/shell/language-picker";
import { NotificationBell } from "@/components/shell/notification-bell";
import { ThemePicker } from "@/components/shell/theme-picker";
import { StudioQueryProvider } from "@/components/trpc-provider";
import { THEME_COOKIE, themeAttribute } from "@/lib/theme";
import { isLocale, LOCALE_COOKIE } from "@/lib/i18n/locales";

export default async function StudioLayout({ children }: { children: ReactNode }) {
  const cookieStore = await cookies();
  const theme = themeAttribute(cookieStore.get(THEME_COOKIE)?.value) ?? "system";
  const chosenLocale = cookieStore.get(LOCALE_COOKIE)?.value;
  const t = await getTranslations("shell");
  return (
    <StudioQueryProvider>
      <a href="#main" className={styles.skipLink}>
        {t("skipToContent")}
      </a>
      <AuthOffBanner />
      <header className={styles.header}>
        <Link href="/experiments" className={styles.brand}>
          ModelOps Studio
        </Link>
        <div className={styles.headerEnd}>
          <CommandPalette />
          <NotificationBell />
          <LanguagePicker initial={isLocale(chosenLocale) ? chosenLocale : "browser"} />
          <ThemePicker initial={theme} />
          <UserMenu />
        </div>
      </header>
      <div className={styles.body}>
        <StudioNav />
        {/* tabIndex lets the skip link move keyboard focus here, not only scroll. */}
        <main id="main" tabIndex={-1} className={styles.main}>
          {children}
        </main>
      </div>
    </StudioQueryProvider>
  );
}
