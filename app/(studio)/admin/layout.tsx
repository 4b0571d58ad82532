// Every admin page: rendered for admins only. Others get a plain explanation instead of forms that the API would refuse.
import Link from "next/link";
import type { ReactNode } from "react";
import { currentPageActor } from "@/server/auth/page-actor";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const actor = await currentPageActor();
  if (actor?.role === "admin") {
    return (
      <>
        {/* The newer admin pages, reached from every admin page so the header's account menu stays short. */}
        <nav aria-label="More admin pages" className="admin-more">
          More admin pages: <Link href="/admin/webhooks">Webhooks</Link> · <Link href="/admin/erasure">Data subject erasure</Link>
        </nav>
        {children}
      </>
    );
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
