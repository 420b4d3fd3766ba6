/**
 * Where a check's finding sits in the manuscript as a reader sees it: the
 * section it belongs to ("§3.2 Photometry") and its place in document order
 * across files, so findings are listed and numbered as the paper reads.
 * No `vscode` import.
 */
import path from "node:path";
import type {Manuscript, SourceLocation, SourceText} from "../../latex/Manuscript.ts";
import {allSections, sectionAt} from "../../latex/manuscriptQueries.ts";
import {headingTitle} from "../../summarize/planSummary.ts";

export class ManuscriptPlaces {
    /** The manuscript's text in document order: abstract, preface, then each section's heading and body. */
    private readonly segments: {file: string; startLine: number; endLine: number}[] = [];
    private readonly fileOrder = new Map<string, number>();
    private readonly documentLine: number | undefined;

    public constructor(private readonly manuscript: Manuscript, fileText: (file: string) => string | undefined) {
        const add = (text: SourceText) => this.segments.push({file: path.resolve(text.file), startLine: text.startLine, endLine: text.endLine});
        if (manuscript.abstract != null)
            add(manuscript.abstract);
        manuscript.preface.forEach(add);
        for (const section of allSections(manuscript)) {
            add({file: section.heading.file, startLine: section.heading.line, endLine: section.heading.line, text: ""});
            section.body.forEach(add);
        }
        manuscript.files.forEach((file, index) => this.fileOrder.set(path.resolve(file.path), index));
        const rootText = fileText(manuscript.root);
        const begin = rootText == null ? undefined : /^[^%\n]*?\\begin\s*\{document\}/m.exec(rootText);
        this.documentLine = begin == null ? undefined : rootText!.slice(0, begin.index + begin[0].length).split("\n").length;
    }

    /** The section a place belongs to, and its heading; outside any section, a name for the place and the root's first line. */
    public sectionOf(at: SourceLocation): {section: string; sectionAt: SourceLocation} {
        const section = sectionAt(this.manuscript, at);
        if (section != null)
            return {section: headingTitle(section), sectionAt: section.heading};
        return {section: this.outsideSections(at), sectionAt: {file: this.manuscript.root, line: 1}};
    }

    /**
     * A sort key in document order. A place inside a piece of the manuscript's
     * text sorts with it. A place outside all of them (front and back matter,
     * which no section's text holds) sorts just before the next piece of its own
     * file, or after everything when none follows; the preamble comes first.
     */
    public orderKey(at: SourceLocation): [number, number, number] {
        const file = path.resolve(at.file);
        if (file === path.resolve(this.manuscript.root) && this.documentLine != null && at.line < this.documentLine)
            return [-1, 0, at.line];
        let next: number | undefined;
        for (let index = 0; index < this.segments.length; index++) {
            const segment = this.segments[index]!;
            if (segment.file !== file)
                continue;
            if (segment.startLine <= at.line && at.line <= segment.endLine)
                return [index, 0, at.line];
            if (segment.startLine > at.line && next == null)
                next = index;
        }
        if (next != null)
            return [next - 0.5, 0, at.line];
        return [this.segments.length, this.fileOrder.get(file) ?? this.fileOrder.size, at.line];
    }

    private outsideSections(at: SourceLocation): string {
        const file = path.resolve(at.file);
        const abstract = this.manuscript.abstract;
        if (abstract != null && path.resolve(abstract.file) === file && at.line >= abstract.startLine && at.line <= abstract.endLine)
            return "Abstract";
        if (file === path.resolve(this.manuscript.root) && this.documentLine != null && at.line < this.documentLine)
            return "Preamble";
        const first = this.manuscript.sections[0];
        if (first == null)
            return "Manuscript";
        return compareKeys(this.orderKey(at), this.orderKey(first.heading)) < 0 ? "Opening" : "Back matter";
    }
}

/** Orders keys of numbers, element by element. */
export function compareKeys(a: readonly number[], b: readonly number[]): number {
    for (let index = 0; index < Math.min(a.length, b.length); index++)
        if (a[index] !== b[index])
            return a[index]! - b[index]!;
    return a.length - b.length;
}
