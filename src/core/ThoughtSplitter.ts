/**
 * Separates a model's reasoning from its answer in streamed text.
 *
 * AstroSage-70B writes its reasoning between `<think>` and `</think>`; other
 * models use `<thought>` or `<thinking>`. When the reasoning prompt prefilled
 * the opening tag, the stream starts inside a thought with no opening tag at all.
 * Chunks arrive cut anywhere, tags included, so a possible tag start at the end
 * of a chunk is held back until the next chunk (or `end()`) decides it.
 */

/** A piece of the stream: part of the answer, or part of a thought. */
export type SplitPiece = {kind: "text" | "thought"; text: string};

const tagNames = ["think", "thought", "thinking"] as const;
const openingTags = tagNames.map((name) => `<${name}>`);
const closingTags = tagNames.map((name) => `</${name}>`);
const longestTag = Math.max(...[...openingTags, ...closingTags].map((tag) => tag.length));

export type ThoughtSplitterOptions = {
    /**
     * Start inside a thought, as when the assistant turn was prefilled with `<think>`.
     *
     * Defaults to `false`.
     */
    startInThought?: boolean;
};

export class ThoughtSplitter {
    private inThought: boolean;
    private held = "";

    public constructor({startInThought = false}: ThoughtSplitterOptions = {}) {
        this.inThought = startInThought;
    }

    /** Whether the text seen so far ends inside a thought. */
    public get insideThought(): boolean {
        return this.inThought;
    }

    /** Feeds the next chunk; returns the pieces it completes, in order. */
    public push(chunk: string): SplitPiece[] {
        const pieces: SplitPiece[] = [];
        let text = this.held + chunk;
        this.held = "";

        for (;;) {
            const tags = this.inThought ? closingTags : openingTags;
            const found = findFirstTag(text, tags);
            if (found == null)
                break;

            this.emit(pieces, text.slice(0, found.index));
            text = text.slice(found.index + found.tag.length);
            this.inThought = !this.inThought;
        }

        // A stray closing tag in the answer (or opening tag inside a thought)
        // is dropped: it is markup, not content.
        text = removeTags(text, this.inThought ? openingTags : closingTags);

        const keep = possibleTagStartLength(text);
        this.emit(pieces, text.slice(0, text.length - keep));
        this.held = text.slice(text.length - keep);
        return pieces;
    }

    /** Ends the stream: releases any held-back text that turned out not to be a tag. */
    public end(): SplitPiece[] {
        const pieces: SplitPiece[] = [];
        this.emit(pieces, this.held);
        this.held = "";
        return pieces;
    }

    private emit(pieces: SplitPiece[], text: string) {
        if (text === "")
            return;

        const kind = this.inThought ? "thought" : "text";
        const last = pieces.at(-1);
        if (last?.kind === kind)
            last.text += text;
        else
            pieces.push({kind, text});
    }
}

function findFirstTag(text: string, tags: readonly string[]): {index: number; tag: string} | undefined {
    let best: {index: number; tag: string} | undefined;
    for (const tag of tags) {
        const index = text.indexOf(tag);
        if (index >= 0 && (best == null || index < best.index))
            best = {index, tag};
    }
    return best;
}

function removeTags(text: string, tags: readonly string[]): string {
    let result = text;
    for (const tag of tags)
        result = result.split(tag).join("");
    return result;
}

/** How many characters at the end of `text` could be the start of any tag. */
function possibleTagStartLength(text: string): number {
    const start = text.lastIndexOf("<");
    if (start < 0 || text.length - start >= longestTag)
        return 0;

    const tail = text.slice(start);
    const couldBeTag = [...openingTags, ...closingTags].some((tag) => tag.startsWith(tail));
    return couldBeTag ? tail.length : 0;
}
