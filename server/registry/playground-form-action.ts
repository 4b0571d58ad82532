"use server";
// The playground form's server function: what a Predict pressed before the page's JavaScript runs (or without it)
// posts to. Next.js answers the browser's own POST with the page rendered around the returned state; its server
// actions refuse a post whose Origin is not the studio's, and the cookie-session check below says the same in our words.
import { headers } from "next/headers";
import { currentPageActor } from "@/server/auth/page-actor";
import { assertSameOrigin } from "@/server/auth/authenticate";
import { labellerOnlyRefusal, mayOnlyLabel } from "@/server/auth/permissions";
import { isDomainError, type DomainError } from "@/server/errors";
import { sentence } from "@/lib/i18n/server-sentence";
import { getServiceContext } from "@/server/service-context";
import { scorePlaygroundForm, type PlaygroundFormState } from "./playground-form";

/** useActionState's action: the previous state is not needed, each post carries the whole row. */
export async function predictPlaygroundFormRow(_previous: PlaygroundFormState | null, form: FormData): Promise<PlaygroundFormState> {
  const refused = (error: Pick<DomainError, "message" | "sentence">): PlaygroundFormState => ({ row: null, fieldErrors: {}, error: error.message, errorSentence: error.sentence ?? null, prediction: null });
  // The same caller checks as the tRPC scoring call (protectedProcedure): signed in, same origin, not a labeller only.
  const actor = await currentPageActor();
  if (!actor) return refused({ message: "Your session has ended: sign in again.", sentence: sentence("error.auth.session_ended") });
  try {
    assertSameOrigin({ method: "POST", headers: await headers() });
  } catch (error) {
    if (isDomainError(error)) return refused(error);
    throw error;
  }
  if (mayOnlyLabel(actor)) return refused(labellerOnlyRefusal(actor));
  return scorePlaygroundForm(await getServiceContext(actor), form);
}
