/**
 * A source file as the assembler uses it: its text, its cached facts, and the
 * manuscript text of any stretch of it (comments and skipped blocks removed).
 */
import type {SourceLocation, SourceSpan, SourceText} from "../Manuscript.ts";
import type {FileFacts} from "../parse/FileFacts.ts";
import {lineOf} from "../parse/parseFileFacts.ts";

export type LoadedFile = {path: string; text: string; facts: FileFacts};

export function locationOf(file: LoadedFile, offset: number): SourceLocation {
    return {file: file.path, line: lineOf(file.facts.lineStarts, offset)};
}

export function spanOf(file: LoadedFile, from: number, to: number): SourceSpan {
    return {file: file.path, startLine: lineOf(file.facts.lineStarts, from), endLine: lineOf(file.facts.lineStarts, Math.max(from, to - 1))};
}

/** The text of `[from, to)` without comments and skipped blocks. */
export function cleanText(file: LoadedFile, from: number, to: number): string {
    const removed = file.facts.removed;
    let text = "";
    let at = from;
    for (let index = firstRemovedEndingAfter(removed, from); index < removed.length && at < to; index += 2) {
        const start = removed[index]!, end = removed[index + 1]!;
        if (start >= to)
            break;
        if (start > at)
            text += file.text.slice(at, start);
        at = Math.max(at, end);
    }
    if (at < to)
        text += file.text.slice(at, to);
    return text;
}

/**
 * `[from, to)` as a piece of manuscript text: blank lines, comments and skipped
 * blocks trimmed from both ends, so its lines are those that hold text.
 * Undefined when nothing is left.
 */
export function sourceTextOf(file: LoadedFile, from: number, to: number): SourceText | undefined {
    const text = file.text;
    const removed = file.facts.removed;
    let start = from;
    for (;;) {
        while (start < to && /\s/.test(text[start]!))
            start++;
        const inside = removedRangeAt(removed, start);
        if (inside < 0 || start >= to)
            break;
        start = removed[inside + 1]!;
    }
    let end = to;
    for (;;) {
        while (end > start && /\s/.test(text[end - 1]!))
            end--;
        const inside = end > start ? removedRangeAt(removed, end - 1) : -1;
        if (inside < 0)
            break;
        end = removed[inside]!;
    }
    if (end <= start)
        return undefined;
    const content = cleanText(file, start, end).trim();
    if (!holdsText(content))
        return undefined;
    return {...spanOf(file, start, end), text: content};
}

/**
 * Whether a piece holds any words or numbers: not just punctuation left between
 * two cut-out commands (`{}`), nor only commands with short arguments
 * (`\vspace{5mm}`, `\clearpage`, `\label{x}`).
 */
function holdsText(content: string): boolean {
    const withoutCommands = content.replace(/\\[A-Za-z@]+\*?(?:\s*\[[^\]\s]*\])*(?:\s*\{[^{}\s]*\})*/g, "");
    return /[\p{L}\p{N}]/u.test(withoutCommands);
}

/** Index (into the flat array) of the removed range holding `offset`, or -1. */
function removedRangeAt(removed: readonly number[], offset: number): number {
    const index = firstRemovedEndingAfter(removed, offset);
    return index < removed.length && removed[index]! <= offset ? index : -1;
}

/** Index of the first removed range whose end is after `offset`. */
function firstRemovedEndingAfter(removed: readonly number[], offset: number): number {
    let low = 0, high = removed.length / 2;
    while (low < high) {
        const middle = (low + high) >> 1;
        if (removed[middle * 2 + 1]! <= offset)
            low = middle + 1;
        else
            high = middle;
    }
    return low * 2;
}
