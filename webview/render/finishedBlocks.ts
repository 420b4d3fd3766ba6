/**
 * Which blocks of a streaming message are finished, so they can be rendered
 * once and never again.
 *
 * A block is finished when another block has started after it, and that block
 * has a complete first line (two after a paragraph: see `startIsSettled`):
 * until the line ends, what looks like a new block may still turn out to
 * continue the one before ("2" becomes "2. item" of an ordered list, "$$x$$"
 * grows text after it and is inline math). From then on, markdown's block
 * structure above it cannot change: an open code fence or math block swallows
 * what follows, so nothing after it is finished until it closes.
 */
import type {MarkdownBlock} from "./MarkdownRenderer.ts";

export type BlockSplit = {
    /** Finished blocks, in order, blank-line blocks left out. */
    finished: MarkdownBlock[];
    /** How many characters of the text the finished blocks (blank lines included) cover. */
    length: number;
};

/**
 * Splits `text`, cut into `blocks` by marked's lexer, into finished blocks and
 * an open rest. With `atEnd` (the message is complete) every block is finished.
 */
export function splitFinishedBlocks(text: string, blocks: readonly MarkdownBlock[], atEnd: boolean): BlockSplit {
    // Block offsets; trusted only as long as the sources add up to the text.
    const starts: number[] = [];
    let offset = 0;
    for (const block of blocks) {
        if (!text.startsWith(block.raw, offset))
            break;
        starts.push(offset);
        offset += block.raw.length;
    }
    const trusted = blocks.slice(0, starts.length);
    if (atEnd && offset === text.length)
        return {finished: trusted.filter(isContent), length: offset};

    // The open block is the last one whose start cannot move any more.
    for (let index = trusted.length - 1; index > 0; index--) {
        if (isContent(trusted[index]) && startIsSettled(text, starts[index], trusted[index - 1]))
            return {finished: trusted.slice(0, index).filter(isContent), length: starts[index]};
    }
    return {finished: [], length: 0};
}

/**
 * Whether a block starting at `start`, after `before`, starts there for good.
 * Its first line must be complete. Straight after a paragraph, so must its
 * second: marked ends a paragraph where a table's two lines (header and
 * delimiter row) seem to start, so "|-|\nb|c\n-" is a paragraph and a
 * heading, until "-" grows into "- x", no delimiter row, and "b|c" rejoins the
 * paragraph.
 */
function startIsSettled(text: string, start: number, before: MarkdownBlock): boolean {
    const firstLineEnd = text.indexOf("\n", start);
    if (firstLineEnd < 0)
        return false;
    return before.type !== "paragraph" || text.includes("\n", firstLineEnd + 1);
}

function isContent(block: MarkdownBlock): boolean {
    return block.type !== "space";
}
