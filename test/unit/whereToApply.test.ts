/**
 * Apply suggestion never corrupts the author's text: it replaces the finding's
 * range only while that text is what was reviewed, follows the text when edits
 * elsewhere moved it, and refuses when the quoted words were changed.
 */
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import type {Finding} from "../../src/review/Finding.ts";
import {shiftRange} from "../../src/review/ui/shiftRange.ts";
import {whereToApply} from "../../src/review/ui/whereToApply.ts";

const reviewed = "We measure a velocity dispersion of 210 km/s in the\ncore, and 180 km s$^{-1}$ in the halo.";
const quote = "210 km/s in the core";
const start = reviewed.indexOf("210 km/s");
const end = reviewed.indexOf("core") + "core".length;
const finding = {quote, suggestion: "210 km s$^{-1}$ in the core"} as Finding;
const stored = {finding, located: true, offsets: {start, end}, reviewedText: reviewed.slice(start, end)};

function replace(text: string, at: {start: number; end: number}, by: string): string {
    return text.slice(0, at.start) + by + text.slice(at.end);
}

describe("where Apply suggestion replaces text", () => {
    test("the range itself while its text is unchanged (a line break inside the quote included)", () => {
        assert.deepEqual(whereToApply(reviewed, stored), {start, end});
    });

    test("after an edit before it, at its tracked range; the result changes exactly the quote", () => {
        const change = {rangeOffset: 0, rangeLength: 2, text: "Here we"};
        const edited = replace(reviewed, {start: 0, end: 2}, "Here we");
        const moved = {...stored, offsets: shiftRange(stored.offsets, change).range};
        const at = whereToApply(edited, moved)!;
        assert.equal(edited.slice(at.start, at.end), stored.reviewedText);
        assert.equal(replace(edited, at, finding.suggestion!), "Here we measure a velocity dispersion of 210 km s$^{-1}$ in the core, and 180 km s$^{-1}$ in the halo.");
    });

    test("when the range went stale (text moved without tracking), the same text is found again nearby", () => {
        const edited = `% a comment added above\n${reviewed}`;
        const at = whereToApply(edited, stored)!;
        assert.equal(edited.slice(at.start, at.end), stored.reviewedText);
    });

    test("after an edit inside the quote, nothing is replaced", () => {
        const change = {rangeOffset: start, rangeLength: 3, text: "205"};
        const edited = replace(reviewed, {start, end: start + 3}, "205");
        const touched = {...stored, offsets: shiftRange(stored.offsets, change).range};
        assert.equal(whereToApply(edited, touched), undefined);
    });

    test("a finding whose quote was never found has nothing to replace", () => {
        assert.equal(whereToApply(reviewed, {...stored, located: false, offsets: {start: 0, end: 0}, reviewedText: "", finding: {...finding, quote: "an absent sentence of the paper"}}), undefined);
    });
});
