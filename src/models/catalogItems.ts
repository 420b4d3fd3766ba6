/**
 * The catalog as quick pick items: each build with its size, its quality
 * trade-off, whether it is downloaded, and how it fits this machine.
 */
import * as vscode from "vscode";
import {adviseInstead, memoryText, neededBytes, type BuildFit} from "../core/hardwareFit.ts";
import {MODEL_CATALOG, type CatalogBuild} from "../core/modelCatalog.ts";
import {formatBytes, formatMemory} from "../core/units.ts";
import type {CatalogAdvice} from "./ModelAdvisor.ts";
import type {LibraryFile} from "./ModelLibrary.ts";

export type BuildItem = vscode.QuickPickItem & {build: CatalogBuild};

export function catalogItems(options: {
    advice: CatalogAdvice | undefined;
    files: readonly LibraryFile[];
    currentPath: string;
    onlyMissing?: boolean;
}): BuildItem[] {
    const {advice, files, currentPath} = options;
    const fits = advice?.ok === true ? advice.fits : [];
    const recommended = advice?.ok === true ? advice.recommended?.build.id : undefined;
    return MODEL_CATALOG
        .map((build) => {
            const file = files.find((candidate) => candidate.fileName === build.fileName);
            return {build, file};
        })
        .filter(({file}) => options.onlyMissing !== true || file == null || file.partial)
        .map(({build, file}) => {
            const fit = fits.find((candidate) => candidate.build.id === build.id);
            const isCurrent = file != null && !file.partial && file.path === currentPath;
            const icon = isCurrent ? "$(check)" : file != null && !file.partial ? "$(pass)" : "$(cloud-download)";
            const state = isCurrent ? "in use" : file == null ? "" : file.partial ? "download interrupted, resumes" : "downloaded";
            const size = formatBytes(file != null && !file.partial ? file.bytes : fit?.needs.fileBytes ?? build.approximateBytes);
            const description = [size, fitShort(fit, advice), state, build.id === recommended ? "recommended for this machine" : ""]
                .filter((part) => part !== "").join(" · ");
            const instead = fit == null || advice?.ok !== true ? undefined : adviseInstead(fit, fits, advice.machine);
            return {
                label: `${icon} ${build.label}`,
                description,
                // The detail is one line in the picker: the trade-off first, then what to do if it does not fit.
                detail: [build.quality, instead ?? ""].filter((part) => part !== "").join(" "),
                build
            };
        });
}

/** "fits in 5.68 GiB", "tight: 9.2 of 16 GiB", "too big: needs 9.9 GiB"; empty while unknown. */
function fitShort(fit: BuildFit | undefined, advice: CatalogAdvice | undefined): string {
    if (advice == null)
        return "checking fit…";
    if (!advice.ok || fit == null)
        return "";
    const need = formatMemory(neededBytes(fit.needs));
    const disk = fit.diskOk ? "" : ", not enough disk";
    switch (fit.verdict) {
        case "fits": return `fits: needs ${need}${disk}`;
        case "tight": return `tight: needs ${need} of ${memoryText(advice.machine)}${disk}`;
        case "tooBig": return `too big: needs ${need}${disk}`;
    }
}
