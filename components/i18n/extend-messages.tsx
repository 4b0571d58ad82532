"use client";
// The browser half of <MoreClientMessages>: use-intl's providers replace their parent's messages, so this one passes
// on the parent's locale and time zone with its messages merged over the parent's. (The request configuration sets
// no formats or `now`; were it to, they would need passing on here too.)
import { NextIntlClientProvider, useLocale, useMessages, useTimeZone } from "next-intl";
import { useMemo, type ReactNode } from "react";
import type { Messages } from "@/messages";

export function ExtendMessages({ messages, children }: { messages: Partial<Messages>; children: ReactNode }) {
  const parent = useMessages();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const merged = useMemo(() => ({ ...parent, ...messages }), [parent, messages]);
  return (
    <NextIntlClientProvider locale={locale} timeZone={timeZone} messages={merged}>
      {children}
    </NextIntlClientProvider>
  );
}
