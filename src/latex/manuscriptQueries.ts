/**
 * Questions the commands ask of a manuscript model: its sections in order, the
 * section at the cursor, a short name for a place, the macros for KaTeX.
 */
import path from "node:path";
import type {Manuscript, ManuscriptSection, SourceLocation} from "./Manuscript.ts";

export {katexMacros} from "./katexMacros.ts";

/** Every section, depth first, in document order. */
export function allSections(manuscript: Manuscript): ManuscriptSection[] {
    const sections: ManuscriptSection[] = [];
    const visit = (list: ManuscriptSection[]) => {
        for (const section of list) {
            sections.push(section);
            visit(section.children);
        }
    };
    visit(manuscript.sections);
    return sections;
}

/**
 * The innermost section whose text holds `at` (in its own file or in a file it
 * inputs): the section whose heading or text is the last one at or before that
 * line of that file. Undefined before the first heading (the preface, the
 * preamble) and in files no section's text comes from (the abstract's, say).
 */
export function sectionAt(manuscript: Manuscript, at: SourceLocation): ManuscriptSection | undefined {
    const file = path.resolve(at.file);
    let best: {line: number; section: ManuscriptSection} | undefined;
    const consider = (line: number, section: ManuscriptSection) => {
        // Later in document order wins a tie: a child's heading on its parent's last line.
        if (line <= at.line && (best == null || line >= best.line))
            best = {line, section};
    };
    for (const section of allSections(manuscript)) {
        if (path.resolve(section.heading.file) === file)
            consider(section.heading.line, section);
        for (const text of section.body)
            if (path.resolve(text.file) === file)
                consider(text.startLine, section);
    }
    return best?.section;
}

/** "sections/photometry.tex:40": the place relative to the root file's folder, with forward slashes. */
export function sourceLabel(manuscript: Manuscript, location: SourceLocation): string {
    const relative = path.relative(manuscript.rootDirectory, location.file).split(path.sep).join("/");
    return `${relative}:${location.line}`;
}
