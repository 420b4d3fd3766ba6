/**
 * Where LaTeX looks for a file a manuscript names. TeX resolves `\input{x}`
 * against its working folder, the root's; editors and build tools also accept
 * paths relative to the including file, so that is tried second.
 */
import path from "node:path";
import type {InputCommand} from "./parse/FileFacts.ts";
import {RELATIVE_IMPORT_COMMANDS} from "./parse/latexCommands.ts";

/** Where the file that names another one sits. */
export type IncludeContext = {
    rootDirectory: string;
    includingFile: string;
    /** The folder an `\import` set for this file and the files it inputs. */
    importDirectory?: string;
};

/**
 * The paths to try for an input command, in order, and the import folder the
 * found file's own inputs resolve against (for `\import` and kin).
 */
export function inputCandidates(command: InputCommand, target: string, directory: string | undefined, context: IncludeContext): {paths: string[]; importDirectory?: string} {
    if (directory != null) {
        const base = RELATIVE_IMPORT_COMMANDS.has(command)
            ? path.resolve(context.importDirectory ?? path.dirname(context.includingFile), directory)
            : path.resolve(context.rootDirectory, directory);
        return {paths: unique(texNames(command, target).map((name) => path.resolve(base, name))), importDirectory: base};
    }
    const bases = path.isAbsolute(target) ? [""] : [context.importDirectory, context.rootDirectory, path.dirname(context.includingFile)];
    const paths = bases.filter((base) => base != null).flatMap((base) => texNames(command, target).map((name) => path.resolve(base, name)));
    return context.importDirectory == null ? {paths: unique(paths)} : {paths: unique(paths), importDirectory: context.importDirectory};
}

/** `\input{x}` reads `x.tex`, else `x`; `\include{x}` always reads `x.tex`. */
function texNames(command: InputCommand, target: string): string[] {
    if (path.extname(target).toLowerCase() === ".tex")
        return [target];
    return command === "include" || command.endsWith("includefrom") ? [`${target}.tex`] : [`${target}.tex`, target];
}

/** The paths to try for a bibliography database: BibTeX appends `.bib` to `\bibliography` names. */
export function bibCandidates(command: "bibliography" | "addbibresource", target: string, context: IncludeContext): string[] {
    const name = command === "bibliography" && path.extname(target).toLowerCase() !== ".bib" ? `${target}.bib` : target;
    if (path.isAbsolute(name))
        return [path.resolve(name)];
    return unique([context.rootDirectory, path.dirname(context.includingFile)].map((base) => path.resolve(base, name)));
}

function unique(paths: string[]): string[] {
    return [...new Set(paths)];
}
