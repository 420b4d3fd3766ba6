/**
 * A conversation as a Markdown document, for "Export Chat": a title, the date,
 * then each message under **You** or **AstroSage**. What the user and the model
 * wrote (LaTeX, code, tables) goes in verbatim; only what frames it is added.
 */
import type {StoredConversation} from "./store/storedConversation.ts";
import type {ShownMessage} from "./webviewProtocol.ts";

export type ExportMarkdownOptions = {
    /** Include the model's reasoning, folded in a `<details>` block above each answer. Defaults to false. */
    includeThoughts?: boolean;
};

/** The conversation as a Markdown document, ending with one newline. */
export function exportMarkdown(conversation: StoredConversation, {includeThoughts = false}: ExportMarkdownOptions = {}): string {
    const title = conversation.title.replace(/\s+/g, " ").trim() || "AstroSage chat";
    const blocks = [`# ${title}`, `*AstroSage chat, started ${formatDate(conversation.createdAt)}*`];
    for (const [index, message] of conversation.messages.entries()) {
        if (message.role === "user" && index > 0)
            blocks.push("---");
        blocks.push(...(message.role === "user" ? userBlocks(message) : answerBlocks(message, includeThoughts)));
    }
    return `${blocks.join("\n\n")}\n`;
}

function userBlocks(message: ShownMessage): string[] {
    const blocks = ["**You**"];
    if (message.attachment != null)
        blocks.push(folded(`Selection: ${message.context ?? "from the editor"}`, fenced(message.attachment)));
    blocks.push(verbatim(message.text));
    return blocks;
}

function answerBlocks(message: ShownMessage, includeThoughts: boolean): string[] {
    const blocks = ["**AstroSage**"];
    if (includeThoughts && message.thought.trim() !== "")
        blocks.push(folded("Reasoning", verbatim(message.thought)));
    if (message.text.trim() !== "")
        blocks.push(verbatim(message.text));
    else if (message.stats != null)
        blocks.push("*No answer.*"); // it ended having only reasoned, or said nothing
    if (message.error != null)
        blocks.push(message.error.split(/\r?\n/).map((line, i) => (i === 0 ? `> **Error:** ${line}` : `> ${line}`)).join("\n"));
    if (message.stats != null)
        blocks.push(`*${statsLine(message.stats)}*`);
    else if (message.error == null)
        blocks.push("*Unfinished: the answer was still being written.*");
    return blocks;
}

/**
 * Text as written, with blank lines at either end taken off, and a code fence
 * it leaves open (an answer stopped mid-code) closed: otherwise the rest of the
 * document would render as that code block.
 */
function verbatim(text: string): string {
    const trimmed = text.replace(/^(?:[ \t]*\r?\n)+/, "").trimEnd();
    const openFence = unclosedFence(trimmed);
    return openFence == null ? trimmed : `${trimmed}\n${openFence}`;
}

/** The fence (``` or ~~~, as long as it was opened) that closes a code block `text` leaves open, if any. */
function unclosedFence(text: string): string | undefined {
    let open: string | undefined;
    for (const line of text.split(/\r?\n/)) {
        const fence = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
        if (fence == null)
            continue;
        const [, marks, rest] = fence as unknown as [string, string, string];
        if (open == null) {
            if (!(marks[0] === "`" && rest.includes("`"))) // a backtick fence's info string has no backticks
                open = marks;
        } else if (marks[0] === open[0] && marks.length >= open.length && rest.trim() === "")
            open = undefined;
    }
    return open;
}

/** `text` in a code block whose fence is longer than any run of backticks in it, so nothing inside can end it. */
function fenced(text: string): string {
    const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(Math.max(3, longestRun + 1));
    return `${fence}\n${text.trimEnd()}\n${fence}`;
}

/** A folded section; the blank lines let Markdown inside it render. */
function folded(summary: string, body: string): string {
    return `<details>\n<summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}

function statsLine(stats: NonNullable<ShownMessage["stats"]>): string {
    const parts = [
        `${stats.generatedTokens} tokens`,
        `${stats.tokensPerSecond.toFixed(1)} tokens/s`,
        formatDuration(stats.durationMs)
    ];
    if (stats.stopReason === "maxTokens")
        parts.push("cut off at the token limit");
    else if (stats.stopReason === "abort")
        parts.push("stopped");
    return parts.join(" · ");
}

function formatDuration(ms: number): string {
    const seconds = ms / 1000;
    if (seconds < 60)
        return `${seconds.toFixed(1)} s`;
    const whole = Math.round(seconds);
    return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** UTC, so an exported chat reads the same wherever it is opened. */
function formatDate(iso: string): string {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime()))
        return iso;
    return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function escapeHtml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
