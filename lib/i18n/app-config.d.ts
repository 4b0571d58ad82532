// next-intl's type registration: a translation key missing from the English catalogue, or a language the studio
// does not have, is a compile error (English is the reference; the completeness test keeps French in step).
import type { Locale } from "./locales";
import type { Messages } from "@/messages";

declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
