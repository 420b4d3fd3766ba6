/**
 * How the manuscript model reads files: an interface, so the text of an editor
 * with unsaved changes can stand in for the file on disk, and tests can serve
 * files from memory.
 */
import {readdir, readFile, stat} from "node:fs/promises";
import path from "node:path";

export interface SourceReader {
    /**
     * The file's text, or undefined when there is no such file (or it is a
     * folder). May throw when the file exists but cannot be read; the error's
     * message is shown to the user as the reason.
     */
    readText(file: string): Promise<string | undefined>;
    /** The names in a folder, or undefined when it cannot be listed. Used to find a fragment's root file. */
    listDirectory?(directory: string): Promise<string[] | undefined>;
}

/** Files larger than this are not manuscript sources: they are refused before being read. */
export const MAX_SOURCE_BYTES = 5 * 1024 * 1024;

/** Thrown by readers for a file refused because of its size. */
export class SourceTooLargeError extends Error {
    public constructor(public readonly bytes: number) {
        super(`it is ${(bytes / 1024 / 1024).toFixed(1)} MB, more than the ${MAX_SOURCE_BYTES / 1024 / 1024} MB a source file may have`);
        this.name = "SourceTooLargeError";
    }
}

/**
 * Reads files from disk, with `overrides` (absolute path → text, e.g. editors'
 * unsaved text) taking precedence.
 */
export function diskSourceReader(overrides: Readonly<Record<string, string>> = {}): SourceReader {
    const overridden = new Map(Object.entries(overrides).map(([file, text]) => [path.resolve(file), text]));
    return {
        async readText(file) {
            const resolved = path.resolve(file);
            const override = overridden.get(resolved);
            if (override !== undefined)
                return override;
            try {
                const info = await stat(resolved);
                if (!info.isFile())
                    return undefined;
                if (info.size > MAX_SOURCE_BYTES)
                    throw new SourceTooLargeError(info.size);
                return await readFile(resolved, "utf8");
            } catch (error) {
                if (isMissing(error))
                    return undefined;
                throw error;
            }
        },
        async listDirectory(directory) {
            const resolved = path.resolve(directory);
            let names: string[] = [];
            try {
                names = await readdir(resolved);
            } catch (error) {
                if (!isMissing(error))
                    throw error;
            }
            // An unsaved new file in this folder counts as being there.
            for (const file of overridden.keys())
                if (path.dirname(file) === resolved && !names.includes(path.basename(file)))
                    names.push(path.basename(file));
            return names;
        }
    };
}

function isMissing(error: unknown): boolean {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    return code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR";
}
