// Root layout: document shell and global styles; rendered per request so the proxy's CSP nonce reaches every script.
import type { Metadata } from "next";
import { cookies } from "next/headers";
import { connection } from "next/server";
import { NextIntlClientProvider } from "next-intl";
import { getLocale } from "next-intl/server";
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
        {/* The request's messages reach client components (useTranslations) through this provider. */}
        <NextIntlClientProvider>{children}</NextIntlClientProvider>
      </body>
    </html>
  );
}
