/**
 * A quick pick of catalog builds that opens at once and fills in how each build
 * fits this machine when the advice arrives (reading a header remotely takes a moment).
 */
import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";
import type {CatalogBuild} from "../core/modelCatalog.ts";
import {catalogItems, type BuildItem} from "./catalogItems.ts";
import type {CatalogAdvice} from "./ModelAdvisor.ts";

/** An extra entry below the builds, e.g. "A GGUF file on disk…". */
export type ExtraItem = vscode.QuickPickItem & {action: string};

export async function pickBuild(ctx: AstroSageContext, options: {
    title: string;
    placeholder: string;
    onlyMissing?: boolean;
    extras?: ExtraItem[];
}): Promise<{build: CatalogBuild} | {action: string} | undefined> {
    const quickPick = vscode.window.createQuickPick<BuildItem | ExtraItem | vscode.QuickPickItem>();
    quickPick.title = options.title;
    quickPick.placeholder = options.placeholder;
    quickPick.matchOnDescription = true;
    quickPick.matchOnDetail = true;

    const show = async (advice: CatalogAdvice | undefined) => {
        // With a server in use, no local build is "in use".
        const currentPath = ctx.config.backendKind === "server" ? "" : ctx.config.modelPath;
        const builds = catalogItems({advice, files: await ctx.library.list(), currentPath, onlyMissing: options.onlyMissing});
        const extras = options.extras ?? [];
        const active = quickPick.activeItems[0];
        quickPick.items = [
            ...builds,
            ...(extras.length === 0 ? [] : [{label: "", kind: vscode.QuickPickItemKind.Separator}, ...extras])
        ];
        if (active != null)
            quickPick.activeItems = quickPick.items.filter((item) => item.label === active.label);
        if (advice?.ok === false)
            quickPick.placeholder = `${options.placeholder} (fit unknown: ${advice.problem})`;
    };

    quickPick.busy = true;
    await show(undefined);
    void ctx.advisor.advise().then(async (advice) => {
        quickPick.busy = false;
        await show(advice);
    });

    const picked = await new Promise<BuildItem | ExtraItem | undefined>((resolve) => {
        quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0] as BuildItem | ExtraItem | undefined));
        quickPick.onDidHide(() => resolve(undefined));
        quickPick.show();
    });
    quickPick.dispose();
    if (picked == null)
        return undefined;
    return "build" in picked ? {build: picked.build} : {action: picked.action};
}
