/**
 * The review's VS Code side in one place: the findings (`FindingStore`), their
 * comment threads, the Review tree, the Problems entries, moving between
 * findings, and what a stopped review needs to resume. Commands reach it as
 * `ctx.review`.
 */
import * as fs from "node:fs";
import * as vscode from "vscode";
import type {SummaryScope} from "../../summarize/planSummary.ts";
import {FindingStore, type StoredFinding} from "./FindingStore.ts";
import {ReviewCommentController} from "./ReviewCommentController.ts";
import {ReviewDiagnostics} from "./ReviewDiagnostics.ts";
import {ReviewTreeProvider, type ReviewNode} from "./ReviewTreeProvider.ts";

/** A review that was stopped before its last part: enough to run the rest. */
export type StoppedReview = {
    /** The manuscript's root file. */
    root: string;
    scope: SummaryScope;
    /** What was reviewed, for messages: "the whole manuscript", "§3 Data". */
    scopeLabel: string;
    /** Parts already reviewed (runReview's part ids), skipped on resume. */
    reviewed: Set<string>;
};

export class ReviewUi implements vscode.Disposable {
    public readonly store: FindingStore;
    public readonly comments: ReviewCommentController;
    private readonly tree: ReviewTreeProvider;
    private readonly treeView: vscode.TreeView<ReviewNode>;
    private readonly disposables: vscode.Disposable[] = [];
    /** The finding last shown by Next/Previous or a click. */
    private current: string | undefined;
    private stoppedReview: StoppedReview | undefined;
    /** Set while a review runs: one at a time. */
    public running = false;
    /** Shown above the tree while a review runs. */
    private status: string | undefined;

    public constructor(options: {showInProblems: () => boolean}) {
        this.store = new FindingStore(currentText);
        this.comments = new ReviewCommentController(this.store);
        this.tree = new ReviewTreeProvider(this.store);
        this.treeView = vscode.window.createTreeView(ReviewTreeProvider.viewId, {treeDataProvider: this.tree, showCollapseAll: true});
        this.disposables.push(
            this.store,
            this.comments,
            this.tree,
            this.treeView,
            new ReviewDiagnostics(this.store, options.showInProblems),
            this.store.onDidChange(() => this.onFindingsChange())
        );
    }

    /** The stopped review that "Resume Review" continues, if any. */
    public get stopped(): StoppedReview | undefined {
        return this.stoppedReview;
    }

    public set stopped(review: StoppedReview | undefined) {
        this.stoppedReview = review;
        void vscode.commands.executeCommand("setContext", "astrosage.reviewStopped", review != null);
    }

    /** A line above the tree: what the review is doing, or undefined when it is idle. */
    public setStatus(status: string | undefined) {
        this.status = status;
        this.onFindingsChange();
    }

    /**
     * The finding a command is about: its id (from a tree item's or a code action's
     * arguments), a comment thread (from the thread's title bar), a tree node, or
     * the one last shown.
     */
    public findingFrom(argument: unknown): StoredFinding | undefined {
        let id: string | undefined;
        if (typeof argument === "string")
            id = argument;
        else if (isTreeNode(argument))
            id = argument.stored.finding.id;
        else if (argument != null && typeof argument === "object" && "uri" in argument && "comments" in argument)
            id = this.comments.findingOf(argument as vscode.CommentThread);
        return this.store.get(id ?? this.current ?? "");
    }

    /** Opens a finding's file with its quote selected and its comment unfolded. */
    public async reveal(stored: StoredFinding) {
        this.current = stored.finding.id;
        const editor = await vscode.window.showTextDocument(stored.uri, {preview: false, preserveFocus: false});
        const range = stored.range;
        // The quote selected with the cursor at its start, where reading begins.
        editor.selection = new vscode.Selection(range.end, range.start);
        editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        this.comments.expand(stored.finding.id);
        const node = this.tree.nodeOf(stored.finding.id);
        if (node != null && this.treeView.visible)
            await this.treeView.reveal(node, {select: true, focus: false});
        const findings = this.store.list();
        const index = findings.findIndex((candidate) => candidate.finding.id === stored.finding.id);
        vscode.window.setStatusBarMessage(`AstroSage: finding ${index + 1} of ${findings.length}`, 4000);
    }

    /** Shows the next (+1) or previous (-1) finding, from the last one shown or else from the cursor. */
    public async step(direction: 1 | -1) {
        const findings = this.store.list();
        if (findings.length === 0) {
            void vscode.window.showInformationMessage("There are no review findings. Run \"AstroSage: Review Manuscript\" first.");
            return;
        }
        let index = findings.findIndex((stored) => stored.finding.id === this.current);
        if (index >= 0)
            index = (index + direction + findings.length) % findings.length;
        else
            index = this.indexFromCursor(findings, direction);
        await this.reveal(findings[index]!);
    }

    public clear() {
        this.current = undefined;
        this.stopped = undefined;
        this.store.clear();
    }

    public dispose() {
        for (const disposable of this.disposables.splice(0).reverse())
            disposable.dispose();
    }

    /** The first finding after the cursor (or the last before it), else the first (or last). */
    private indexFromCursor(findings: StoredFinding[], direction: 1 | -1): number {
        const editor = vscode.window.activeTextEditor;
        const fallback = direction === 1 ? 0 : findings.length - 1;
        if (editor == null)
            return fallback;
        const here = editor.selection.active;
        const sameFile = (stored: StoredFinding) => stored.uri.toString() === editor.document.uri.toString();
        const index = direction === 1
            ? findings.findIndex((stored) => sameFile(stored) && stored.range.start.isAfter(here))
            : findings.findLastIndex((stored) => sameFile(stored) && stored.range.start.isBefore(here));
        return index >= 0 ? index : fallback;
    }

    private onFindingsChange() {
        const findings = this.store.list();
        if (this.current != null && this.store.get(this.current) == null)
            this.current = undefined;
        const unlocated = findings.filter((stored) => !stored.located).length;
        const count = `${findings.length} ${findings.length === 1 ? "finding" : "findings"}`;
        const summary = findings.length === 0 ? undefined : unlocated === 0 ? count : `${count} · ${unlocated} at ${unlocated === 1 ? "its section's heading" : "their sections' headings"}`;
        this.treeView.message = [this.status, summary].filter((line) => line != null).join(" · ") || undefined;
        this.treeView.badge = findings.length === 0 ? undefined : {value: findings.length, tooltip: `${count} from the review`};
        void vscode.commands.executeCommand("setContext", "astrosage.hasReviewFindings", findings.length > 0);
    }
}

function isTreeNode(value: unknown): value is Extract<ReviewNode, {kind: "finding"}> {
    return value != null && typeof value === "object" && (value as {kind?: unknown}).kind === "finding" && "stored" in value;
}

/**
 * A file's text as the user sees it now: the open document's (unsaved edits
 * included), else the file on disk. Findings' offsets refer to this text.
 */
export function currentText(file: string): string | undefined {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.scheme === "file" && document.uri.fsPath === file);
    if (open != null)
        return open.getText();
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        // A file that cannot be read has no offsets; its findings are shown by line.
        return undefined;
    }
}
