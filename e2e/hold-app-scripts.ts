// Holds the app's scripts back so a journey can act on the server-rendered page before hydration, as a person on a
// slow device does; the returned function lets them load.
import type { Page } from "@playwright/test";

export async function holdAppScripts(page: Page): Promise<() => void> {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  // Scripts only: the style sheets (also chunks) block rendering, and a person presses a rendered button.
  await page.route((url) => url.pathname.startsWith("/_next/static/") && url.pathname.endsWith(".js"), async (route) => {
    await held;
    await route.continue().catch(() => undefined);
  });
  return release;
}
