/**
 * The protocol between the extension host and the chat webview.
 *
 * Both sides import this file; both check every message on arrival. The page
 * shows model output, so nothing it sends is trusted: it can only ask for the
 * few things listed here, never name a command to run, and the host checks
 * what it asks (a link's scheme, for one) before acting.
 */
import * as v from "valibot";
import {chatErrorCodes} from "../core/chatTypes.ts";
import {statsSchema} from "../engine/protocol.ts";

const frameSchema = v.variant("kind", [
    v.object({kind: v.literal("text"), text: v.string()}),
    v.object({kind: v.literal("thought"), text: v.string()}),
    v.object({kind: v.literal("done"), stats: statsSchema}),
    v.object({kind: v.literal("error"), code: v.picklist(chatErrorCodes), message: v.string()})
]);

/** LaTeX macros for KaTeX: name with its backslash → replacement. Bounded: they come from a manuscript. */
const macroName = /^\\[A-Za-z@]{1,63}$/;
const MACRO_BODY_LIMIT = 4000;
const MACRO_COUNT_LIMIT = 2000;
const macrosSchema = v.pipe(
    v.record(v.pipe(v.string(), v.regex(macroName)), v.pipe(v.string(), v.maxLength(MACRO_BODY_LIMIT))),
    v.check((macros) => Object.keys(macros).length <= MACRO_COUNT_LIMIT, "too many macros")
);

/**
 * The macros the page accepts: a manuscript's odd definitions (an unusual name, a
 * huge body) are left out rather than making the whole message invalid.
 */
export function macrosForPage(macros: Readonly<Record<string, string>>): Record<string, string> {
    const kept = Object.entries(macros).filter(([name, body]) => macroName.test(name) && body.length <= MACRO_BODY_LIMIT);
    return Object.fromEntries(kept.slice(0, MACRO_COUNT_LIMIT));
}

/** A message of the conversation as the page shows it. */
export const shownMessageSchema = v.object({
    role: v.picklist(["user", "assistant"]),
    text: v.string(),
    thought: v.string(),
    /** For a user message sent with an editor selection: where it came from, e.g. "fit.py:12-30". */
    context: v.optional(v.string()),
    /** The selection itself, as the model receives it before the prompt. */
    attachment: v.optional(v.string()),
    /** Set once the answer finished. */
    stats: v.optional(statsSchema),
    /** Set when the answer failed; the partial text is kept. */
    error: v.optional(v.string()),
    /** For an answer about a manuscript: its `\newcommand`s, for KaTeX (`{"\\msun": "M_\\odot"}`). */
    macros: v.optional(macrosSchema)
});
export type ShownMessage = v.InferOutput<typeof shownMessageSchema>;

/** What the page offers as the next step under a notice. */
const noticeActionSchema = v.picklist(["selectModel", "selectModelFile", "showLog", "connectToServer", "setServerApiKey"]);
export type NoticeAction = v.InferOutput<typeof noticeActionSchema>;

/** The first-run welcome: what AstroSage is, the build that suits this machine, and getting it. */
export const welcomeSchema = v.object({
    /** True while the model's header is read to judge this machine. */
    checking: v.boolean(),
    /** The build offered. */
    build: v.optional(v.object({id: v.string(), label: v.string(), size: v.string(), quality: v.string()})),
    /** How the offered build fits this machine, in words. */
    fit: v.optional(v.object({verdict: v.picklist(["fits", "tight", "tooBig"]), text: v.string(), advice: v.optional(v.string())})),
    /** This machine's memory, GPU and free disk. */
    machine: v.optional(v.string()),
    /** Why the advice or the download failed (offline, say), with the way forward. */
    problem: v.optional(v.string()),
    /** An interrupted download of the offered build is waiting to resume. */
    resumable: v.boolean(),
    /** The download in progress. */
    download: v.optional(v.object({percent: v.number(), text: v.string()}))
});
export type Welcome = v.InferOutput<typeof welcomeSchema>;

/** What the welcome's buttons ask for. */
const welcomeActionSchema = v.picklist(["download", "cancelDownload", "retry", "selectModel", "selectModelFile", "connectToServer"]);
export type WelcomeAction = v.InferOutput<typeof welcomeActionSchema>;

/** How reasoning sections are shown: folded, unfolded, or not at all. */
export const reasoningDisplays = ["collapsed", "expanded", "hidden"] as const;
export type ReasoningDisplay = typeof reasoningDisplays[number];

/** Messages the host sends to the page. */
export const hostMessageSchema = v.variant("type", [
    /** The whole conversation, sent when the page (re)loads or another chat is opened. */
    v.object({type: v.literal("conversation"), title: v.string(), messages: v.array(shownMessageSchema), generating: v.boolean()}),
    /**
     * A turn started: show the user's message (with the selection it carries) and an
     * empty answer to stream into; `prompt` is null when the last answer is regenerated.
     */
    v.object({
        type: v.literal("turnStarted"),
        requestId: v.string(),
        prompt: v.nullable(v.string()),
        context: v.optional(v.string()),
        /** The manuscript's macros, for an answer about one. */
        macros: v.optional(macrosSchema)
    }),
    /** A frame of the answer of `requestId`. */
    v.object({type: v.literal("frame"), requestId: v.string(), frame: frameSchema}),
    /** The model's state in one line, for the header, and details for its tooltip. */
    v.object({type: v.literal("status"), text: v.string(), busy: v.boolean(), detail: v.string()}),
    /** A notice above the conversation with an optional next step, or none. */
    v.object({
        type: v.literal("notice"),
        notice: v.nullable(v.object({text: v.string(), action: v.optional(noticeActionSchema), actionLabel: v.optional(v.string())}))
    }),
    /** The first-run welcome, or none once a model is chosen. */
    v.object({type: v.literal("welcome"), welcome: v.nullable(welcomeSchema)}),
    /** The editor selection the next prompt would include (shown as a removable chip), or none. */
    v.object({type: v.literal("selection"), selection: v.nullable(v.object({label: v.string(), lineCount: v.number()}))}),
    /** Display settings and the reasoning toggle's default. */
    v.object({type: v.literal("settings"), reasoning: v.boolean(), reasoningDisplay: v.picklist(reasoningDisplays)}),
    /** Put the cursor in the prompt box (after "Ask About Selection"). */
    v.object({type: v.literal("focusPrompt")})
]);
export type HostMessage = v.InferOutput<typeof hostMessageSchema>;

/** Messages the page sends to the host. */
export const viewMessageSchema = v.variant("type", [
    /** The page loaded and wants the current conversation. */
    v.object({type: v.literal("ready")}),
    /** The user sent a prompt; with reasoning on or off, and with or without the editor selection. */
    v.object({
        type: v.literal("send"),
        text: v.pipe(v.string(), v.minLength(1), v.maxLength(1_000_000)),
        reasoning: v.boolean(),
        includeSelection: v.boolean()
    }),
    /** The user pressed Stop (or Escape). */
    v.object({type: v.literal("stop")}),
    /** The user asked for the last answer again, with reasoning on or off. */
    v.object({type: v.literal("regenerate"), reasoning: v.boolean()}),
    /** The user removed the selection chip: leave this selection out. */
    v.object({type: v.literal("dismissSelection")}),
    /** The user clicked a notice's button. */
    v.object({type: v.literal("noticeAction"), action: noticeActionSchema}),
    /** The user clicked a welcome button; `buildId` names the offered build (checked against the catalog). */
    v.object({type: v.literal("welcomeAction"), action: welcomeActionSchema, buildId: v.optional(v.pipe(v.string(), v.maxLength(64)))}),
    /** The user clicked a link to a manuscript's source; the host opens only files it may show. */
    v.object({type: v.literal("openSource"), file: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)), line: v.pipe(v.number(), v.integer(), v.minValue(1))}),
    /** The user clicked a link in an answer; the host opens only http(s) links. */
    v.object({type: v.literal("openLink"), href: v.pipe(v.string(), v.maxLength(8192))}),
    /** Copy text (an answer's Markdown, a code block) to the clipboard. */
    v.object({type: v.literal("copy"), text: v.pipe(v.string(), v.maxLength(10_000_000))}),
    /** Insert a code block at the cursor of the active editor. */
    v.object({type: v.literal("insertCode"), code: v.pipe(v.string(), v.maxLength(10_000_000))})
]);
export type ViewMessage = v.InferOutput<typeof viewMessageSchema>;

/** Checks a message from the page; returns undefined (and the reason) when it does not match. */
export function parseViewMessage(message: unknown): {message?: ViewMessage; problem?: string} {
    const result = v.safeParse(viewMessageSchema, message);
    return result.success ? {message: result.output} : {problem: v.summarize(result.issues)};
}

/** Checks a message from the host; returns undefined (and the reason) when it does not match. */
export function parseHostMessage(message: unknown): {message?: HostMessage; problem?: string} {
    const result = v.safeParse(hostMessageSchema, message);
    return result.success ? {message: result.output} : {problem: v.summarize(result.issues)};
}
