// The sign-in page (outside the studio shell: it is the one page open to everyone).
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { SignInForm } from "@/components/auth/sign-in-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("shell.signIn"))("pageTitle") };
}

export default function SignInPage() {
  return (
    <main id="main">
      <Suspense>
        <SignInForm />
      </Suspense>
    </main>
  );
}
