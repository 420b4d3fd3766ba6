/**
 * Which root file a LaTeX file belongs to, so a command run in a section file
 * summarizes the whole manuscript:
 * 1. the `%!TEX root = …` magic comment;
 * 2. the file itself when it has `\documentclass` (a subfile's
 *    `\documentclass[main.tex]{subfiles}` names its root);
 * 3. a `.tex` file with `\documentclass` in the same folder or up to two folders
 *    above that inputs it, directly or through other files;
 * 4. otherwise the file itself: a fragment is still a manuscript to summarize.
 *
 * A light scan (comments removed, then regular expressions), not a parse: most
 * files looked at are not the root.
 */
import path from "node:path";
import {inputCandidates} from "./resolveInclude.ts";
import type {InputCommand} from "./parse/FileFacts.ts";
import type {SourceReader} from "./SourceReader.ts";

/** How many folders above the file's own are searched. */
const PARENT_FOLDERS = 2;
/** How many files one candidate root may input before the search gives up on it. */
const MAX_FILES_PER_CANDIDATE = 300;

/** `% !TEX root = ../main.tex`: the magic comment editors (TeXShop, LaTeX Workshop) use. */
const MAGIC_ROOT = /^[ \t]*%[ \t]*!T[Ee]X[ \t]+root[ \t]*=[ \t]*(.+?)[ \t]*$/m;
const DOCUMENT_CLASS = /\\documentclass\s*(?:\[([^\]]*)\])?\s*\{([^}]*)\}/;
const INPUT = /\\(input|include|subfile|import|subimport|inputfrom|subinputfrom|includefrom|subincludefrom)(?![A-Za-z@])\*?\s*\{([^{}]*)\}(?:\s*\{([^{}]*)\})?/g;

export async function findRoot(file: string, reader: SourceReader): Promise<string> {
    const resolved = path.resolve(file);
    const text = await readQuietly(reader, resolved);
    if (text == null)
        return resolved;
    const magic = MAGIC_ROOT.exec(text)?.[1];
    if (magic != null) {
        const root = path.resolve(path.dirname(resolved), magic);
        if (await readQuietly(reader, root) != null)
            return root;
    }
    const documentClass = DOCUMENT_CLASS.exec(withoutComments(text));
    if (documentClass != null) {
        const main = documentClass[2]?.trim() === "subfiles" ? documentClass[1]?.trim() : undefined;
        if (main) {
            const root = path.resolve(path.dirname(resolved), path.extname(main) === "" ? `${main}.tex` : main);
            if (await readQuietly(reader, root) != null)
                return root;
        }
        return resolved;
    }
    let folder = path.dirname(resolved);
    for (let level = 0; level <= PARENT_FOLDERS; level++) {
        const root = await rootInFolder(reader, folder, resolved);
        if (root != null)
            return root;
        const parent = path.dirname(folder);
        if (parent === folder)
            break;
        folder = parent;
    }
    return resolved;
}

/** A root file in `folder` whose inputs reach `file`. */
async function rootInFolder(reader: SourceReader, folder: string, file: string): Promise<string | undefined> {
    const names = await reader.listDirectory?.(folder).catch(() => undefined);
    for (const name of (names ?? []).filter((entry) => entry.toLowerCase().endsWith(".tex")).sort()) {
        const candidate = path.join(folder, name);
        if (candidate === file)
            continue;
        const text = await readQuietly(reader, candidate);
        const documentClass = text == null ? null : DOCUMENT_CLASS.exec(withoutComments(text));
        if (documentClass == null || documentClass[2]?.trim() === "subfiles")
            continue;
        if (await inputsReach(reader, candidate, text!, file))
            return candidate;
    }
    return undefined;
}

/** Whether `root`'s inputs, followed through other files, reach `file`. */
async function inputsReach(reader: SourceReader, root: string, rootText: string, file: string): Promise<boolean> {
    const rootDirectory = path.dirname(root);
    const seen = new Set([root]);
    const queue: {path: string; text: string; importDirectory?: string}[] = [{path: root, text: rootText}];
    while (queue.length > 0 && seen.size <= MAX_FILES_PER_CANDIDATE) {
        const current = queue.shift()!;
        for (const match of withoutComments(current.text).matchAll(INPUT)) {
            const command = match[1] as InputCommand;
            const [directory, target] = match[3] == null ? [undefined, match[2]!] : [match[2]!, match[3]];
            const context = {rootDirectory, includingFile: current.path, ...(current.importDirectory == null ? {} : {importDirectory: current.importDirectory})};
            const {paths, importDirectory} = inputCandidates(command, target.trim(), directory?.trim(), context);
            if (paths.includes(file))
                return true;
            for (const candidate of paths) {
                if (seen.has(candidate))
                    break;
                const text = await readQuietly(reader, candidate);
                if (text == null)
                    continue;
                seen.add(candidate);
                queue.push({path: candidate, text, ...(importDirectory == null ? {} : {importDirectory})});
                break;
            }
        }
    }
    return false;
}

/** The text without comments: a `%` not escaped by a backslash starts one. */
function withoutComments(text: string): string {
    return text.replace(/(^|[^\\])((?:\\\\)*)%.*$/gm, "$1$2");
}

/** A file's text, or undefined when it is missing or unreadable (a root search must not fail on either). */
async function readQuietly(reader: SourceReader, file: string): Promise<string | undefined> {
    try {
        return await reader.readText(file);
    } catch {
        return undefined;
    }
}
