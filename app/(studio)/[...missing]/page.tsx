// Any page URL no route serves: the studio's not-found page inside its shell (header and navigation), with HTTP 404.
import { notFound } from "next/navigation";

export default function MissingPage(): never {
  notFound();
}
