/**
 * One LaTeX file's facts: regions, then chunks, then parsed commands.
 * A pure function of the text, so its result can be cached by content.
 */
import type {FileEvent, FileFacts} from "./FileFacts.ts";
import {collectChunkEvents} from "./collectEvents.ts";
import {chunksForParser} from "./parserChunks.ts";
import {findRegions, type SourceRegion} from "./sourceRegions.ts";

export function parseFileFacts(text: string): FileFacts {
    const regions = findRegions(text);
    const {chunks, problems: chunkProblems} = chunksForParser(text, regions);
    const events: FileEvent[] = [];
    const problems = [...regions.problems, ...chunkProblems];
    for (const chunk of chunks)
        collectChunkEvents(chunk, events, problems);
    problems.sort((a, b) => a.offset - b.offset);
    return {
        lineStarts: lineStarts(text),
        events,
        removed: removedRanges(text, regions.regions),
        problems
    };
}

export function lineStarts(text: string): number[] {
    const starts = [0];
    let at = text.indexOf("\n");
    while (at >= 0) {
        starts.push(at + 1);
        at = text.indexOf("\n", at + 1);
    }
    return starts;
}

/** The 1-based line of a file offset. */
export function lineOf(lineStarts: readonly number[], offset: number): number {
    let low = 0, high = lineStarts.length - 1;
    while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (lineStarts[middle]! <= offset)
            low = middle;
        else
            high = middle - 1;
    }
    return low + 1;
}

/**
 * Comments and skipped blocks, as ranges to leave out of the text. A line that
 * holds nothing else goes whole, newline included, so leaving it out does not
 * turn a comment between two lines of a paragraph into a paragraph break.
 */
function removedRanges(text: string, regions: SourceRegion[]): number[] {
    const removed: number[] = [];
    for (const region of regions) {
        if (region.kind === "verbatim")
            continue;
        let start = region.start;
        let end = region.end;
        const lineStart = text.lastIndexOf("\n", start - 1) + 1;
        if (/^[ \t]*$/.test(text.slice(lineStart, start))) {
            let lineEnd = end;
            while (lineEnd < text.length && (text[lineEnd] === " " || text[lineEnd] === "\t" || text[lineEnd] === "\r"))
                lineEnd++;
            if (lineEnd >= text.length || text[lineEnd] === "\n") {
                start = lineStart;
                end = Math.min(text.length, lineEnd + 1);
            }
        }
        const last = removed.length - 2;
        if (last >= 0 && removed[last + 1]! >= start)
            removed[last + 1] = Math.max(removed[last + 1]!, end);
        else
            removed.push(start, end);
    }
    return removed;
}
