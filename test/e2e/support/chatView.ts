// Helpers for the chat webview's page, built on its element ids: #prompt,
// #send, #stop, #messages with .message.user / .message.assistant (each
// assistant message holding .thought and .answer), #status and #notice.
import type { Frame } from "playwright-core";

/** One answer as the page shows it. */
export interface ShownAnswer {
  /** The text of `.answer`. */
  answer: string;
  /** The text of `.thought` (reasoning); empty when there is none. */
  thought: string;
}

export interface WaitForAnswerOptions {
  /**
   * Which assistant message to wait for (0-based), as returned by `sendPrompt`.
   * Defaults to the last one.
   */
  index?: number;
  /** Also wait until the answer contains this. */
  contains?: string | RegExp;
  /** Defaults to 60 s. */
  timeoutMs?: number;
}

/**
 * Types `text` into the prompt box and presses Send. Returns the index the new
 * answer will have, for `waitForAnswer`, so an earlier answer is never mistaken for it.
 */
export async function sendPrompt(frame: Frame, text: string): Promise<number> {
  const index = await frame.locator("#messages .message.assistant").count();
  // #prompt is a <vscode-textarea>; the text goes into the textarea in its shadow root.
  await frame.locator("#prompt textarea").fill(text);
  await frame.locator("#send").click();
  return index;
}

/**
 * Waits until the answer at `index` exists and generation has ended (the Stop
 * button is hidden or disabled), then returns its text.
 */
export async function waitForAnswer(frame: Frame, options: WaitForAnswerOptions = {}): Promise<ShownAnswer> {
  const timeout = options.timeoutMs ?? 60_000;
  const messages = frame.locator("#messages .message.assistant");
  const index = options.index ?? Math.max(0, (await messages.count()) - 1);
  const message = messages.nth(index);
  await message.waitFor({ timeout });
  await frame.waitForFunction(() => {
    const stop = document.querySelector<HTMLButtonElement>("#stop");
    return !stop || stop.disabled || stop.hidden || stop.offsetParent === null;
  }, undefined, { timeout });
  if (options.contains !== undefined) {
    await message.locator(".answer").filter({ hasText: options.contains }).waitFor({ timeout });
  }
  return {
    // Rendered Markdown ends blocks with line breaks; the words are what count.
    answer: ((await message.locator(".answer").textContent()) ?? "").trim(),
    thought: (await message.locator(".thought").count()) > 0 ? ((await message.locator(".thought").textContent()) ?? "").trim() : "",
  };
}

/** The text of the notice above the conversation (e.g. "no model"), or undefined when none is shown. */
export async function noticeText(frame: Frame): Promise<string | undefined> {
  const notice = frame.locator("#notice");
  return (await notice.isVisible()) ? ((await notice.textContent()) ?? "").trim() : undefined;
}
