/**
 * The models downloaded into the extension's global storage: what is there,
 * what was left half-downloaded, and deleting them. No `vscode` import.
 */
import {readdir, rm, stat} from "node:fs/promises";
import path from "node:path";
import {buildOfFile, type CatalogBuild} from "../core/modelCatalog.ts";
import {partialFileName, stagingFileName} from "../engine/downloadModel.ts";

export type LibraryFile = {
    fileName: string;
    path: string;
    bytes: number;
    /** The catalog build this file is, when it is one. */
    build?: CatalogBuild;
    /** True for a download that was interrupted (it resumes from here). */
    partial: boolean;
};

export class ModelLibrary {
    public constructor(public readonly directory: string) {}

    /** Where a catalog build lives once downloaded. */
    public pathOf(build: CatalogBuild): string {
        return path.join(this.directory, build.fileName);
    }

    public async has(build: CatalogBuild): Promise<boolean> {
        return (await stat(this.pathOf(build)).catch(() => undefined))?.isFile() === true;
    }

    /** Downloaded models and interrupted downloads, largest first. */
    public async list(): Promise<LibraryFile[]> {
        let names: string[];
        try {
            names = await readdir(this.directory);
        } catch {
            return [];
        }
        const files: LibraryFile[] = [];
        for (const name of names) {
            const partialOf = name.endsWith(".gguf.download.ipull") ? name.slice(0, -".download.ipull".length) : undefined;
            if (!name.toLowerCase().endsWith(".gguf") && partialOf == null)
                continue;
            const fileName = partialOf ?? name;
            const stats = await stat(path.join(this.directory, name)).catch(() => undefined);
            if (stats?.isFile() !== true)
                continue;
            const build = buildOfFile(fileName);
            files.push({fileName, path: path.join(this.directory, name), bytes: stats.size, ...(build == null ? {} : {build}), partial: partialOf != null});
        }
        return files.sort((a, b) => b.bytes - a.bytes);
    }


    /** Deletes a model and anything left of its downloads. */
    public async delete(fileName: string): Promise<void> {
        if (path.basename(fileName) !== fileName)
            throw new Error(`Not a file name in the model folder: ${fileName}`);
        await Promise.all([fileName, stagingFileName(fileName), partialFileName(fileName)]
            .map((name) => rm(path.join(this.directory, name), {force: true})));
    }
}
