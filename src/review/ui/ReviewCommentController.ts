/**
 * Shows each finding of the review as a comment thread in the editor, at the
 * range of its quote (or on its section's heading when the quote was not
 * found): the extension's one CommentController. Threads are read-only
 * (no replies); their title bar carries Apply, Discuss and Dismiss, chosen by
 * the thread's `contextValue` (see package.json `comments/commentThread/title`).
 */
import * as vscode from "vscode";
import {findingContext, findingMarkdown, threadLabel} from "./describeFinding.ts";
import type {FindingStore, StoredFinding} from "./FindingStore.ts";

export class ReviewCommentController implements vscode.Disposable {
    /** The controller's id, which `when` clauses name as `commentController`. */
    public static readonly id = "astrosage.review";

    private readonly controller = vscode.comments.createCommentController(ReviewCommentController.id, "AstroSage Review");
    private readonly threads = new Map<string, {thread: vscode.CommentThread; label: string; located: boolean}>();
    private readonly findingOfThread = new WeakMap<vscode.CommentThread, string>();
    private readonly subscription: vscode.Disposable;

    public constructor(private readonly store: FindingStore) {
        // No commenting ranges: users do not write comments of their own here.
        this.controller.options = {prompt: "AstroSage review comments are read-only", placeHolder: ""};
        this.subscription = store.onDidChange(() => this.sync());
    }

    /** The finding a thread shows (menus pass the thread to their commands). */
    public findingOf(thread: vscode.CommentThread): string | undefined {
        return this.findingOfThread.get(thread);
    }

    /** Unfolds a finding's thread. */
    public expand(id: string) {
        const shown = this.threads.get(id);
        if (shown != null)
            shown.thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
    }

    public dispose() {
        this.subscription.dispose();
        for (const {thread} of this.threads.values())
            thread.dispose();
        this.threads.clear();
        this.controller.dispose();
    }

    /** Brings the threads in line with the store: new ones, moved ones, renumbered ones, gone ones. */
    private sync() {
        const findings = this.store.list();
        const present = new Set<string>();
        findings.forEach((stored, index) => {
            present.add(stored.finding.id);
            const label = threadLabel(stored.finding, index + 1, findings.length);
            const shown = this.threads.get(stored.finding.id);
            if (shown == null) {
                this.threads.set(stored.finding.id, {thread: this.createThread(stored, label), label, located: stored.located});
                return;
            }
            if (!shown.thread.range?.isEqual(stored.range))
                shown.thread.range = stored.range;
            if (shown.label !== label) {
                shown.thread.label = label;
                shown.label = label;
            }
        });
        for (const [id, {thread}] of this.threads) {
            if (!present.has(id)) {
                thread.dispose();
                this.threads.delete(id);
            }
        }
    }

    private createThread(stored: StoredFinding, label: string): vscode.CommentThread {
        const {finding, located} = stored;
        const body = new vscode.MarkdownString(findingMarkdown(finding, located), true);
        const comment: vscode.Comment = {
            body,
            mode: vscode.CommentMode.Preview,
            author: {name: finding.source === "check" ? "AstroSage check" : "AstroSage"},
            contextValue: findingContext(finding, located)
        };
        const thread = this.controller.createCommentThread(stored.uri, stored.range, [comment]);
        thread.label = label;
        thread.contextValue = findingContext(finding, located);
        thread.canReply = false;
        thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
        this.findingOfThread.set(thread, finding.id);
        return thread;
    }
}
