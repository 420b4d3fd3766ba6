/**
 * The summary's plan on made-up manuscripts of known shape: every section
 * covered once, in document order, every part within the budget, long text cut
 * at paragraph breaks with the right line numbers. (The plan of a real
 * manuscript is checked in test/engine/summarize.test.ts.)
 */
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import type {Manuscript, ManuscriptSection} from "../../src/latex/Manuscript.ts";
import {estimateTokens, planSummary, type SummaryPlan} from "../../src/summarize/planSummary.ts";

function section(id: string, title: string, line: number, words: number, children: ManuscriptSection[] = [], depth = 0): ManuscriptSection {
    const text = words === 0 ? "" : Array.from({length: words}, (_, i) => (i % 12 === 11 ? "word.\n" : "word")).join(" ");
    return {
        id, command: depth === 0 ? "section" : "subsection", depth, starred: false, title, number: id.replace("sec-", ""),
        heading: {file: "/paper/ms.tex", line},
        body: text === "" ? [] : [{file: "/paper/ms.tex", startLine: line + 1, endLine: line + text.split("\n").length, text}],
        children
    };
}

function manuscript(sections: ManuscriptSection[]): Manuscript {
    return {
        root: "/paper/ms.tex", rootDirectory: "/paper", files: [{path: "/paper/ms.tex", bytes: 1}], title: "A paper",
        preface: [], sections, equations: [], floats: [], labels: [], references: [], citations: [],
        bibFiles: [], bibEntries: [], macros: [], missing: [], problems: []
    };
}

function coveredSections(plan: SummaryPlan): string[] {
    return plan.parts.flatMap((part) => part.piece == null || part.piece.index === 1 ? part.headings.map((heading) => heading.sectionId ?? "") : []);
}

describe("planSummary", () => {
    const paper = manuscript([
        section("sec-1", "Introduction", 10, 100),
        section("sec-2", "Data", 40, 50, [section("sec-2.1", "Photometry", 60, 900, [], 1), section("sec-2.2", "Spectra", 400, 80, [], 1)]),
        section("sec-3", "Results", 500, 30),
        section("sec-4", "Conclusions", 520, 20)
    ]);

    test("a manuscript that fits is one part", () => {
        const plan = planSummary(paper, {kind: "document"}, {partTokens: 100_000});
        assert.equal(plan.parts.length, 1);
        assert.deepEqual(coveredSections(plan), ["sec-1", "sec-2", "sec-3", "sec-4"]);
    });

    test("sections that fit are packed together; one that does not is opened up; each is covered once, in order", () => {
        const plan = planSummary(paper, {kind: "document"}, {partTokens: 1200});
        for (const part of plan.parts)
            assert.ok(estimateTokens(part.text) <= 1200, `a part of ${estimateTokens(part.text)} tokens`);
        const pieces = plan.parts.filter((part) => part.piece != null);
        assert.ok(pieces.length >= 2 && pieces.every((part) => part.headings[0]!.sectionId === "sec-2.1"), "§2.1 alone is too long: cut in pieces");
        assert.deepEqual(plan.parts.filter((part) => part.piece == null).map((part) => part.headings.map((heading) => heading.sectionId)), [
            ["sec-1"], ["sec-2"], ["sec-2.2"], ["sec-3", "sec-4"]
        ]);
        assert.deepEqual(coveredSections(plan), ["sec-1", "sec-2", "sec-2.1", "sec-2.2", "sec-3", "sec-4"]);
        assert.match(plan.parts[1]!.text, /^## 2 Data\n\nword/);
    });

    test("a section too long for one part is cut at paragraph ends, each piece linked to its first line", () => {
        const plan = planSummary(paper, {kind: "section", sectionId: "sec-2.1"}, {partTokens: 600});
        assert.ok(plan.parts.length >= 2);
        assert.deepEqual(plan.parts.map((part) => part.piece), plan.parts.map((_, index) => ({index: index + 1, count: plan.parts.length})));
        assert.equal(plan.parts[0]!.headings[0]!.at.line, 60, "the first piece links to the heading");
        const body = paper.sections[1]!.children[0]!.body[0]!;
        const lines = body.text.split("\n");
        for (const part of plan.parts.slice(1)) {
            const at = part.headings[0]!.at.line;
            assert.equal(lines[at - body.startLine], part.text.split("\n")[0], "a piece's link names its first line");
        }
        // Nothing lost, nothing repeated.
        assert.equal(plan.parts.map((part) => part.text).join("\n").replace(/^### 2\.1 Photometry\n\n/, ""), body.text);
    });

    test("a selection is one part, or pieces when long", () => {
        const text = "The flux is $F = L / 4\\pi d^2$.\n\nSecond paragraph.";
        const plan = planSummary(paper, {kind: "selection", text, at: {file: "/paper/ms.tex", startLine: 12, endLine: 14}}, {partTokens: 1000});
        assert.equal(plan.parts.length, 1);
        assert.equal(plan.parts[0]!.text, text);
        assert.equal(plan.parts[0]!.headings[0]!.at.line, 12);
        assert.equal(plan.scopeLabel, "the selection");
    });

    test("a section that no longer exists is an error that says what to do", () => {
        assert.throws(() => planSummary(paper, {kind: "section", sectionId: "sec-9"}, {partTokens: 1000}), /run the command again/);
    });
});
