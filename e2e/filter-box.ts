// The runs filter box for the journeys: focus the plain input (which loads Monaco), wait for the editor, then type
// into it key by key as a person does.
import { expect, type Page } from "@playwright/test";

export const FILTER_LABEL = "Filter (MLflow syntax)";

/** The editor once Monaco has replaced the plain input (typing before that would race the swap). */
export async function filterEditor(page: Page) {
  const editor = page.locator('[data-filter-editor="monaco"]');
  // The editor loads when the box is first focused.
  if (!(await editor.isVisible())) await page.getByLabel(FILTER_LABEL).focus();
  await expect(editor).toBeVisible();
  return editor;
}

/** The suggestions list Monaco opens under the box. */
export function suggestions(page: Page) {
  return page.locator(".suggest-widget.visible");
}

/** Replaces the box's text by typing `text`, leaving the caret at its end and no suggestion list open. */
export async function typeFilter(page: Page, text: string): Promise<void> {
  const editor = await filterEditor(page);
  await editor.click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Backspace");
  await page.keyboard.type(text);
  await expect(suggestions(page)).toHaveCount(0);
}

/** Types `text` into the box and presses Enter to apply it. */
export async function applyFilter(page: Page, text: string): Promise<void> {
  await typeFilter(page, text);
  await page.keyboard.press("Enter");
}

/** The text the box shows: the plain input's until it is focused, then the editor's. */
export async function expectFilterText(page: Page, text: string): Promise<void> {
  const editor = page.locator('[data-filter-editor="monaco"]');
  if (!(await editor.isVisible())) {
    await expect(page.getByLabel(FILTER_LABEL)).toHaveValue(text);
    return;
  }
  // Monaco draws spaces as no-break spaces; toHaveText treats both as white space.
  await expect(editor.locator(".view-lines")).toHaveText(text);
}
