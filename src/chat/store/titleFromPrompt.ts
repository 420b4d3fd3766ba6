/**
 * A chat's title, made from its first prompt: what the user would call the
 * chat at a glance in a list. Mathematics is left as the user typed it
 * (astronomers read `$H_0$` fine); Markdown punctuation that only says how to
 * render is taken out.
 */

export type TitleOptions = {
    /** The longest title, in characters, "…" included. Defaults to 60. */
    maxLength?: number;
    /** The title of a chat with no words in its prompt. Defaults to "New chat". */
    fallback?: string;
};

/** The first line of the prompt that has words in it, made readable and cut on a word boundary. */
export function titleFromPrompt(prompt: string, {maxLength = 60, fallback = "New chat"}: TitleOptions = {}): string {
    const line = prompt.split(/\r?\n/).map(readableLine).find((text) => text !== "");
    if (line == null)
        return fallback;
    return shorten(line, maxLength);
}

/** One line without its Markdown markup, whitespace collapsed. */
function readableLine(line: string): string {
    if (/^\s*(```|~~~)/.test(line))
        return ""; // a code fence's opening line: "```python" says nothing about the chat
    return line
        .replace(/^\s*(#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)+/, "") // heading, quote, list item
        .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // a link or image: its text
        .replace(/`+([^`]+)`+/g, "$1") // inline code: the code
        .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, "$2") // bold; single * and _ are left, as they are common in LaTeX
        .replace(/\s+/g, " ")
        .trim();
}

/** `text` cut to `maxLength` characters (code points, so no emoji is split) on a word boundary, with "…". */
function shorten(text: string, maxLength: number): string {
    const characters = [...text];
    if (characters.length <= maxLength)
        return text;

    const room = characters.slice(0, maxLength - 1).join("");
    const space = room.lastIndexOf(" ");
    // A single very long word (a URL, a formula) is cut inside rather than leaving almost nothing.
    let cut = space >= room.length / 2 ? room.slice(0, space) : room;
    // A cut inside $…$ would leave an unpaired dollar that a Markdown renderer
    // reads as the start of a formula; end the title before that formula instead.
    const formula = openFormulaStart(cut);
    if (formula != null && cut.slice(0, formula).trimEnd().length >= room.length / 2)
        cut = cut.slice(0, formula);
    return `${cut.replace(/[\s,;:\-–—]+$/, "")}…`;
}

/** Where the formula that `text` leaves open starts ($ or $$, not \$), if it leaves one open. */
function openFormulaStart(text: string): number | undefined {
    let open: number | undefined;
    for (const delimiter of text.matchAll(/(?<!\\)\$\$?/g))
        open = open == null ? delimiter.index : undefined;
    return open;
}
