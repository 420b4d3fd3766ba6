// code-server's open and save dialogs are quick inputs that take a typed path.
import type { Page } from "playwright-core";

/** Types `filePath` into the open file dialog (which pre-fills a path of its own first) and accepts it. */
export async function chooseInFileDialog(page: Page, filePath: string): Promise<void> {
  const input = page.locator(".quick-input-widget .quick-input-box input");
  await input.waitFor();
  // The dialog fills in a starting path itself; type over it once it has (the
  // command palette that opened the dialog may still be closing meanwhile).
  // It fills in stages (folder, then file name): wait until the value rests.
  let previous = "";
  for (let i = 0; i < 50; i++) {
    const value = await input.inputValue();
    if (value.startsWith("/") && value === previous) break;
    previous = value;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  await input.fill(filePath);
  await page.waitForFunction((expected) => document.querySelector<HTMLInputElement>(".quick-input-widget .quick-input-box input")?.value === expected, filePath);
  await input.press("Enter");
  await page.locator(".quick-input-widget").waitFor({ state: "hidden" });
}
