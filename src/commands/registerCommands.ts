/**
 * Registers the extension's commands. Each command is a small factory taking
 * the context, so it reaches everything through it and nothing global.
 */
import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";
import {applyReviewSuggestion} from "./applyReviewSuggestion.ts";
import {chatAboutPaper} from "./chatAboutPaper.ts";
import {clearPaperCache} from "./clearPaperCache.ts";
import {connectToServer, setServerApiKey, testServerConnection} from "./connectToServer.ts";
import {discussFinding} from "./discussFinding.ts";
import {dismissFinding} from "./dismissFinding.ts";
import {downloadModel} from "./downloadModel.ts";
import {explainCode} from "./explainCode.ts";
import {exportChat} from "./exportChat.ts";
import {manageModels} from "./manageModels.ts";
import {openChat} from "./openChat.ts";
import {restartEngine} from "./restartEngine.ts";
import {resumeReview} from "./resumeReview.ts";
import {reviewManuscript} from "./reviewManuscript.ts";
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
        "astrosage.connectToServer": connectToServer,
        "astrosage.setServerApiKey": setServerApiKey,
        "astrosage.testServerConnection": testServerConnection,
        "astrosage.downloadModel": downloadModel,
        "astrosage.manageModels": manageModels,
        "astrosage.cancelDownload": (ctx) => () => ctx.downloads.active?.cancel(),
        "astrosage.stopGeneration": (ctx) => () => ctx.chatView.session.stop(),
        "astrosage.restartEngine": restartEngine,
        "astrosage.clearPaperCache": clearPaperCache,
        "astrosage.summarizeLatex": summarizeLatex,
        "astrosage.chatAboutPaper": chatAboutPaper,
        "astrosage.reviewManuscript": reviewManuscript,
        "astrosage.resumeReview": resumeReview,
        "astrosage.review.applySuggestion": applyReviewSuggestion,
        "astrosage.review.dismiss": dismissFinding,
        "astrosage.review.discuss": discussFinding,
        "astrosage.review.next": (ctx) => () => ctx.review.step(1),
        "astrosage.review.previous": (ctx) => () => ctx.review.step(-1),
        "astrosage.review.clear": (ctx) => () => ctx.review.clear(),
        "astrosage.review.reveal": (ctx) => (argument?: unknown) => {
            const stored = ctx.review.findingFrom(argument);
            return stored == null ? undefined : ctx.review.reveal(stored);
        },
        "astrosage.showLog": (ctx) => () => ctx.log.show()
    };
    for (const [id, factory] of Object.entries(commands))
        ctx.register(vscode.commands.registerCommand(id, factory(ctx)));
}
