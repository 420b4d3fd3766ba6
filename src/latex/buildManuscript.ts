/**
 * Builds the manuscript model of a LaTeX root file: reads it and every file it
 * inputs through `reader` (so unsaved editor text can stand in for disk),
 * parses each file once per content (`FactsCache`), and assembles the whole.
 *
 * Never throws for what is in the files: unreadable, binary or oversized inputs,
 * malformed LaTeX and missing files become `problems` and `missing`. It throws
 * only when the root itself cannot be read, or when `signal` aborts.
 */
import path from "node:path";
import {ManuscriptAssembler, type FileLoad} from "./assemble/ManuscriptAssembler.ts";
import type {BibLoad} from "./assemble/readBibliographies.ts";
import {parseBib} from "./bib/parseBib.ts";
import {FactsCache} from "./FactsCache.ts";
import type {Manuscript} from "./Manuscript.ts";
import {lineOf, lineStarts, parseFileFacts} from "./parse/parseFileFacts.ts";
import {MAX_SOURCE_BYTES, type SourceReader} from "./SourceReader.ts";

export type BuildOptions = {
    /** Facts kept between builds. Without one, every file is parsed afresh. */
    cache?: FactsCache;
    signal?: AbortSignal;
};

export async function buildManuscript(root: string, reader: SourceReader, options: BuildOptions = {}): Promise<Manuscript> {
    const cache = options.cache ?? new FactsCache();
    const rootPath = path.resolve(root);
    const reads = new Map<string, Promise<FileLoad>>();
    const loadFile = (file: string): Promise<FileLoad> => {
        // A file inputted twice is read once per build.
        let read = reads.get(file);
        if (read == null) {
            read = readSource(reader, file, cache);
            reads.set(file, read);
        }
        return read;
    };
    const loadBib = (file: string) => readBibliography(reader, file, cache);

    const rootLoad = await loadFile(rootPath);
    options.signal?.throwIfAborted();
    if (rootLoad == null)
        throw new Error(`${rootPath} could not be found.`);
    if ("problem" in rootLoad) {
        const manuscript = await new ManuscriptAssembler(emptyFile(rootPath), {loadFile, loadBib}, options.signal).assemble();
        manuscript.problems.push({message: `Skipped ${path.basename(rootPath)}: ${rootLoad.problem}`, at: {file: rootPath, line: 1}});
        return manuscript;
    }
    return new ManuscriptAssembler(rootLoad.file, {loadFile, loadBib}, options.signal).assemble();
}

/** Reads a LaTeX source, refusing what is not one. */
async function readSource(reader: SourceReader, file: string, cache: FactsCache): Promise<FileLoad> {
    const text = await readChecked(reader, file);
    if (text == null || typeof text !== "string")
        return text;
    return {file: {path: file, text, facts: cache.get("tex", text, parseFileFacts)}};
}

async function readBibliography(reader: SourceReader, file: string, cache: FactsCache): Promise<BibLoad> {
    const text = await readChecked(reader, file);
    if (text == null || typeof text !== "string")
        return text;
    return cache.get("bib", text, (bib) => {
        const starts = lineStarts(bib);
        const {entries, problems} = parseBib(bib);
        return {
            entries: entries.map(({offset, ...entry}) => ({...entry, line: lineOf(starts, offset)})),
            problems: problems.map((problem) => ({message: problem.message, line: lineOf(starts, problem.offset)}))
        };
    });
}

/** The text of a file, or why it cannot be used, or undefined when it does not exist. */
async function readChecked(reader: SourceReader, file: string): Promise<string | {problem: string} | undefined> {
    let text: string | undefined;
    try {
        text = await reader.readText(file);
    } catch (error) {
        return {problem: error instanceof Error ? error.message : String(error)};
    }
    if (text == null)
        return undefined;
    // Characters, not bytes: at most 3 bytes each, close enough for a limit this far from real sources.
    if (text.length > MAX_SOURCE_BYTES)
        return {problem: `it has ${(text.length / 1e6).toFixed(1)} million characters, more than a source file may have`};
    if (text.includes("\u0000"))
        return {problem: "it is a binary file (it contains NUL bytes), not LaTeX"};
    return text;
}

function emptyFile(file: string) {
    return {path: file, text: "", facts: parseFileFacts("")};
}
