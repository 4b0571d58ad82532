// The studio shell around every signed-in page: skip link, header with the account menu, side navigation.
import Link from "next/link";
import type { ReactNode } from "react";
import { AuthOffBanner, UserMenu } from "@/components/auth/user-menu";
import { StudioNav } from "@/components/shell/studio-nav";
import styles from "@/components/shell/shell.module.css";
import { StudioQueryProvider } from "@/components/trpc-provider";

export default function StudioLayout({ children }: { children: ReactNode }) {
  return (
    <StudioQueryProvider>
      <a href="#main" className={styles.skipLink}>
        Skip to content
      </a>
      <AuthOffBanner />
      <header className={styles.header}>
        <Link href="/experiments" className={styles.brand}>
          ModelOps Studio
        </Link>
        <UserMenu />
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
