/**
 * Where "Apply suggestion" may replace text: the finding's range while its text
 * is what was reviewed; otherwise the same text or the quote found again near
 * its old place; nowhere when it is gone (the edit is then refused). No `vscode` import.
 */
import {locateQuote} from "../locateQuote.ts";
import type {OffsetRange} from "./shiftRange.ts";
import type {StoredFinding} from "./FindingStore.ts";

/** How far from its old place a moved quote is looked for first, in characters. */
const RELOCATE_WITHIN = 2000;

/**
 * The offsets to replace: the finding's range when its text is unchanged, else
 * the reviewed text or the quote found again near the old place; undefined when gone.
 */
export function whereToApply(text: string, stored: Pick<StoredFinding, "offsets" | "located" | "reviewedText" | "finding">): OffsetRange | undefined {
    const {offsets, reviewedText, finding} = stored;
    if (offsets != null && stored.located && reviewedText !== "" && text.slice(offsets.start, offsets.end) === reviewedText)
        return offsets;
    const near = offsets?.start;
    if (reviewedText !== "") {
        const exact = nearestOccurrence(text, reviewedText, near);
        if (exact != null)
            return exact;
    }
    return locateQuote(text, finding.quote, near == null ? {} : {near, within: {start: Math.max(0, near - RELOCATE_WITHIN), end: near + RELOCATE_WITHIN}});
}

/** The occurrence of `needle` closest to `near` (within reach of it, when given). */
function nearestOccurrence(text: string, needle: string, near: number | undefined): OffsetRange | undefined {
    let best: number | undefined;
    for (let index = text.indexOf(needle); index >= 0; index = text.indexOf(needle, index + 1)) {
        if (near != null && Math.abs(index - near) > RELOCATE_WITHIN)
            continue;
        if (best == null || Math.abs(index - (near ?? 0)) < Math.abs(best - (near ?? 0)))
            best = index;
    }
    return best == null ? undefined : {start: best, end: best + needle.length};
}
