// Home: the studio opens on the experiments list; a labeller, who may only label, on the labelling queues.
import { redirect } from "next/navigation";
import { currentPageActor } from "@/server/auth/page-actor";
import { can } from "@/server/auth/permissions";

export default async function HomePage() {
  const actor = await currentPageActor();
  if (actor && !can(actor, "studio.read") && can(actor, "labelling.label")) redirect("/labelling");
  redirect("/experiments");
}
