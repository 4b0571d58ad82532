// Home: the studio opens on the experiments list.
import { redirect } from "next/navigation";

export default function HomePage() {
  redirect("/experiments");
}
