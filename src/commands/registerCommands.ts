/**
 * Registers the extension's commands. Each command is a small factory taking
 * the context, so it reaches everything through it and nothing global.
 */
import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";
import {chatAboutPaper} from "./chatAboutPaper.ts";
import {clearPaperCache} from "./clearPaperCache.ts";
import {downloadModel} from "./downloadModel.ts";
import {explainCode} from "./explainCode.ts";
import {exportChat} from "./exportChat.ts";
import {manageModels} from "./manageModels.ts";
import {openChat} from "./openChat.ts";
import {restartEngine} from "./restartEngine.ts";
import {selectModel} from "./selectModel.ts";
import {selectModelFile} from "./selectModelFile.ts";
import {summarizeLatex} from "./summarizeLatex.ts";

export function registerCommands(ctx: AstroSageContext) {
    const commands: Record<string, (ctx: AstroSageContext) => (...args: unknown[]) => unknown> = {
        "astrosage.newChat": (ctx) => () => ctx.chatView.session.startNew(),
        "astrosage.openChat": openChat,
        "astrosage.exportChat": exportChat,
        "astrosage.askAboutSelection": (ctx) => () => ctx.chatView.askAboutSelection(),
        "astrosage.explainCode": explainCode,
        "astrosage.selectModel": selectModel,
        "astrosage.selectModelFile": selectModelFile,
        "astrosage.downloadModel": downloadModel,
        "astrosage.manageModels": manageModels,
        "astrosage.cancelDownload": (ctx) => () => ctx.downloads.active?.cancel(),
        "astrosage.stopGeneration": (ctx) => () => ctx.chatView.session.stop(),
        "astrosage.restartEngine": restartEngine,
        "astrosage.clearPaperCache": clearPaperCache,
        "astrosage.summarizeLatex": summarizeLatex,
        "astrosage.chatAboutPaper": chatAboutPaper,
        "astrosage.showLog": (ctx) => () => ctx.log.show()
    };
    for (const [id, factory] of Object.entries(commands))
        ctx.register(vscode.commands.registerCommand(id, factory(ctx)));
}
