/**
 * A finding's range follows its text while the document is edited: edits before
 * it move it, edits after it leave it, edits inside or across it are marked so
 * Apply checks the text again before replacing it.
 */
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {shiftRange, type OffsetRange, type TextChange} from "../../src/review/ui/shiftRange.ts";

/** Applies `change` to `text` and returns the new text, so ranges can be checked against real text. */
function apply(text: string, change: TextChange): string {
    return text.slice(0, change.rangeOffset) + change.text + text.slice(change.rangeOffset + change.rangeLength);
}

describe("shiftRange", () => {
    const text = "The flux is 3.2 mJy at 1.4 GHz. The index is -0.7.";
    const quote = "3.2 mJy at 1.4 GHz";
    const range: OffsetRange = {start: text.indexOf(quote), end: text.indexOf(quote) + quote.length};

    test("edits before the quote move it; its text is unchanged", () => {
        for (const change of [
            {rangeOffset: 0, rangeLength: 3, text: "Our measured"},
            {rangeOffset: 4, rangeLength: 5, text: ""},
            {rangeOffset: range.start, rangeLength: 0, text: "about "}
        ]) {
            const shifted = shiftRange(range, change);
            assert.equal(shifted.touched, false);
            assert.equal(apply(text, change).slice(shifted.range.start, shifted.range.end), quote);
        }
    });

    test("edits after the quote, also right at its end, leave it", () => {
        for (const change of [{rangeOffset: range.end, rangeLength: 0, text: " (VLA)"}, {rangeOffset: text.length - 5, rangeLength: 4, text: "-0.8"}]) {
            const shifted = shiftRange(range, change);
            assert.deepEqual(shifted, {range, touched: false});
            assert.equal(apply(text, change).slice(shifted.range.start, shifted.range.end), quote);
        }
    });

    test("an edit inside the quote keeps the edited text in the range, marked touched", () => {
        const change = {rangeOffset: range.start, rangeLength: 3, text: "3.25"};
        const shifted = shiftRange(range, change);
        assert.equal(shifted.touched, true);
        assert.equal(apply(text, change).slice(shifted.range.start, shifted.range.end), "3.25 mJy at 1.4 GHz");
    });

    test("an edit across the quote's start covers the new text and the rest of the quote", () => {
        const change = {rangeOffset: range.start - 3, rangeLength: 7, text: "was "};
        const shifted = shiftRange(range, change);
        assert.equal(shifted.touched, true);
        assert.equal(apply(text, change).slice(shifted.range.start, shifted.range.end), "was mJy at 1.4 GHz");
    });

    test("deleting the whole quote leaves an empty range where it was", () => {
        const change = {rangeOffset: range.start, rangeLength: quote.length, text: ""};
        assert.deepEqual(shiftRange(range, change), {range: {start: range.start, end: range.start}, touched: true});
    });
});
