// next-intl's request configuration (wired in next.config.js): each request's language and its messages.
// No locale in the URL: links and shared comparisons stay the same whatever the reader's language.
import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { messagesFor } from "@/messages";
import { LOCALE_COOKIE, negotiateLocale } from "./locales";

export default getRequestConfig(async () => {
  const locale = negotiateLocale((await cookies()).get(LOCALE_COOKIE)?.value, (await headers()).get("accept-language"));
  return { locale, messages: messagesFor(locale), timeZone: "UTC" };
});
