// The catalogue namespaces the client components read (useTranslations), and only those: next-intl would otherwise
// serialise every namespace (~140 KB in English) into every page's RSC payload, parsed before hydration.
// The root layout's <ClientMessages> sends what the shell reads; a page (or layout) adds what its own client components
// read with <MoreClientMessages>, merged in the browser over the namespaces above it (so nothing is sent twice, and a
// client navigation carries only the new page's). lib/i18n/client-namespaces.test.ts reads the source and fails when a
// client component's useTranslations("x…") is not covered by the providers above its route, or a provider sends a
// namespace nothing under it reads; at runtime a missed namespace shows its key and logs MISSING_MESSAGE.
import { NextIntlClientProvider } from "next-intl";
import { getMessages } from "next-intl/server";
import type { ReactNode } from "react";
import type { Messages } from "@/messages";
import { ExtendMessages } from "./extend-messages";

export type Namespace = keyof Messages;

/** The given namespaces of a catalogue. */
export function pickNamespaces(messages: Messages, namespaces: readonly Namespace[]): Partial<Messages> {
  const picked: Partial<Record<Namespace, unknown>> = {};
  for (const namespace of namespaces) picked[namespace] = messages[namespace];
  return picked as Partial<Messages>;
}

/** The outermost provider (root layout): the request's locale, time zone and these namespaces only. */
export async function ClientMessages({ namespaces, children }: { namespaces: readonly Namespace[]; children: ReactNode }) {
  const messages = (await getMessages()) as Messages;
  return <NextIntlClientProvider messages={pickNamespaces(messages, namespaces)}>{children}</NextIntlClientProvider>;
}

/** These namespaces as well as those of the providers above, for the client components inside. */
export async function MoreClientMessages({ namespaces, children }: { namespaces: readonly Namespace[]; children: ReactNode }) {
  const messages = (await getMessages()) as Messages;
  return <ExtendMessages messages={pickNamespaces(messages, namespaces)}>{children}</ExtendMessages>;
}
