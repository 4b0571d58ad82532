// The sign-in page (outside the studio shell: it is the one page open to everyone).
import type { Metadata } from "next";
import { Suspense } from "react";
import { SignInForm } from "@/components/auth/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <main id="main">
      <Suspense>
        <SignInForm />
      </Suspense>
    </main>
  );
}
