/**
 * The `.bib` files a manuscript names (`\bibliography{a,b}`, `\addbibresource`),
 * read after the LaTeX files: each found once, its entries with their lines;
 * each absent one listed in `bibFiles` and `missing`.
 */
import type {Manuscript, SourceLocation} from "../Manuscript.ts";
import {bibCandidates, type IncludeContext} from "../resolveInclude.ts";

/** A `.bib` file's entries and problems by line, a reason it cannot be used, or undefined when there is no such file. */
export type BibLoad =
    | {entries: {key: string; type: string; title?: string; author?: string; year?: string; line: number}[]; problems: {message: string; line: number}[]}
    | {problem: string}
    | undefined;

export type BibRequest = {command: "bibliography" | "addbibresource"; targets: string[]; from: SourceLocation; context: IncludeContext};

export async function readBibliographies(requests: BibRequest[], loadBib: (path: string) => Promise<BibLoad>, manuscript: Manuscript, signal?: AbortSignal): Promise<void> {
    const listed = new Set<string>();
    for (const request of requests) {
        for (const target of request.targets) {
            signal?.throwIfAborted();
            const candidates = bibCandidates(request.command, target, request.context);
            let found = false;
            for (const path of candidates) {
                const loaded = await loadBib(path);
                if (loaded == null)
                    continue;
                found = true;
                if (!listed.has(path)) {
                    listed.add(path);
                    addBibFile(manuscript, path, target, loaded, request.from);
                }
                break;
            }
            if (!found) {
                if (!listed.has(candidates[0]!)) {
                    listed.add(candidates[0]!);
                    manuscript.bibFiles.push({path: candidates[0]!, found: false});
                }
                manuscript.missing.push({target, command: request.command, from: request.from, tried: candidates});
            }
        }
    }
}

function addBibFile(manuscript: Manuscript, path: string, target: string, loaded: Exclude<BibLoad, undefined>, from: SourceLocation): void {
    if ("problem" in loaded) {
        manuscript.bibFiles.push({path, found: false});
        manuscript.problems.push({message: `Skipped ${target}: ${loaded.problem}`, at: from});
        return;
    }
    manuscript.bibFiles.push({path, found: true});
    for (const {line, ...entry} of loaded.entries)
        manuscript.bibEntries.push({...entry, at: {file: path, line}});
    for (const problem of loaded.problems)
        manuscript.problems.push({message: problem.message, at: {file: path, line: problem.line}});
}
