// Root layout: document shell and global styles; rendered per request so the proxy's CSP nonce reaches every script.
import type { Metadata } from "next";
import { cookies } from "next/headers";
import { connection } from "next/server";
import { getLocale } from "next-intl/server";
import { ClientMessages } from "@/components/i18n/client-messages";
import { THEME_COOKIE, themeAttribute } from "@/lib/theme";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "ModelOps Studio", template: "%s · ModelOps Studio" },
  description: "From experiment to signed-off production model.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // A statically prerendered page would carry no nonce and the CSP would block its scripts.
  await connection();
  const locale = await getLocale();
  return (
    <html lang={locale} data-theme={themeAttribute((await cookies()).get(THEME_COOKIE)?.value)}>
      <body>
        {/* The shell's namespaces for its client components (useTranslations); each page adds its own with
            <MoreClientMessages>. Not the whole catalogue: every namespace would be in every page's payload. */}
        <ClientMessages namespaces={["common", "sentences", "shell"]}>{children}</ClientMessages>
      </body>
    </html>
  );
}
