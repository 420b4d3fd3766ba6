/**
 * Keeps a finding's range on its text while the document is edited: one
 * content change (an offset, the length it replaced, the new text) moves a
 * range after it, leaves a range before it alone, and stretches or shrinks a
 * range it touches. No `vscode` import.
 */

/** Character offsets into a document's text, end exclusive. */
export type OffsetRange = {start: number; end: number};

/** A document change as VS Code reports it: `rangeLength` characters at `rangeOffset` became `text`. */
export type TextChange = {rangeOffset: number; rangeLength: number; text: string};

/**
 * The range after `change`, and whether the change touched its text (then the
 * text there may no longer be what the finding quoted).
 */
export function shiftRange(range: OffsetRange, change: TextChange): {range: OffsetRange; touched: boolean} {
    const changeStart = change.rangeOffset;
    const changeEnd = change.rangeOffset + change.rangeLength;
    const delta = change.text.length - change.rangeLength;
    // Typing right before the quote or right after it does not belong to it.
    if (changeEnd <= range.start)
        return {range: {start: range.start + delta, end: range.end + delta}, touched: false};
    if (changeStart >= range.end)
        return {range, touched: false};
    // The change overlaps the quote: keep what is left of it plus what was typed inside it.
    const start = Math.min(range.start, changeStart);
    const end = Math.max(changeStart + change.text.length, range.end + delta);
    return {range: {start, end: Math.max(start, end)}, touched: true};
}
