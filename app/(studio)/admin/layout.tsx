// Every admin page: rendered for admins only. Others get a plain explanation instead of forms that the API would refuse.
import Link from "@/components/ui/intent-link";
import type { ReactNode } from "react";
import { currentPageActor } from "@/server/auth/page-actor";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const actor = await currentPageActor();
  if (actor?.role === "admin") {
    return children;
  }
  return (
    <section aria-labelledby="admins-only">
      <h1 id="admins-only">Admins only</h1>
      <p>
        This page manages the studio&apos;s users, tokens, permissions and audit log. You are signed in as {actor?.username ?? "nobody"}
        {actor ? ` (${actor.role})` : ""}; ask an admin if you need a change made here.
      </p>
      <p>
        <Link href="/settings">Your own settings and API tokens</Link>
      </p>
    </section>
  );
}
