// Root layout: document shell and global styles; rendered per request so the proxy's CSP nonce reaches every script.
import type { Metadata } from "next";
import { cookies } from "next/headers";
import { connection } from "next/server";
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
  return (
    <html lang="en" data-theme={themeAttribute((await cookies()).get(THEME_COOKIE)?.value)}>
      <body>{children}</body>
    </html>
  );
}
