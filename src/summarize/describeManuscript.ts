/**
 * Words about a manuscript for the user: where a place is ("sections/photometry.tex:40"),
 * and what could not be read, said once at the top of a summary so nothing is
 * silently left out. No `vscode` import.
 */
import path from "node:path";
import type {Manuscript, SourceLocation} from "../latex/Manuscript.ts";

/** "sections/photometry.tex:40": relative to the root file's folder, with forward slashes. */
export function describePlace(manuscript: Pick<Manuscript, "rootDirectory">, at: SourceLocation): string {
    const relative = path.relative(manuscript.rootDirectory, at.file);
    const shown = relative === "" || relative.startsWith("..") || path.isAbsolute(relative) ? path.basename(at.file) : relative;
    return `${shown.split(path.sep).join("/")}:${at.line}`;
}

/**
 * A Markdown note on files that are missing and text that did not parse, or ""
 * when there is nothing to say. Lists are capped: a manuscript with forty
 * problems gets the first few and a count.
 */
export function manuscriptNotes(manuscript: Manuscript): string {
    const notes: string[] = [];
    const missingInputs = manuscript.missing.filter((file) => file.command !== "bibliography" && file.command !== "addbibresource");
    if (missingInputs.length > 0)
        notes.push(`Not found, summarized without: ${listed(missingInputs.map((file) => `\`${file.target}\` (${describePlace(manuscript, file.from)})`))}.`);
    const problems = manuscript.problems;
    if (problems.length > 0)
        notes.push(`Could not be read as LaTeX, left out: ${listed(problems.map((problem) => problem.at == null ? problem.message : `${describePlace(manuscript, problem.at)}: ${problem.message}`))}.`);
    return notes.length === 0 ? "" : notes.map((note) => `> ${note}`).join("\n>\n") + "\n\n";
}

function listed(items: string[], most = 5): string {
    const shown = items.slice(0, most).join("; ");
    return items.length > most ? `${shown}; and ${items.length - most} more` : shown;
}
