/**
 * The "Review" view in the AstroSage sidebar: the findings grouped by the
 * section reviewed, in document order; clicking one shows it in the editor.
 */
import * as vscode from "vscode";
import {findingContext, findingMarkdown, severityIcons, severityName, categoryName, shortComment} from "./describeFinding.ts";
import type {FindingStore, StoredFinding} from "./FindingStore.ts";

export type ReviewNode =
    | {kind: "section"; section: string; findings: StoredFinding[]}
    | {kind: "finding"; stored: StoredFinding; section: string};

export const REVEAL_COMMAND = "astrosage.review.reveal";

export class ReviewTreeProvider implements vscode.TreeDataProvider<ReviewNode>, vscode.Disposable {
    public static readonly viewId = "astrosage.review";

    private readonly changed = new vscode.EventEmitter<void>();
    public readonly onDidChangeTreeData = this.changed.event;
    private sections: Extract<ReviewNode, {kind: "section"}>[] = [];
    private readonly subscription: vscode.Disposable;

    public constructor(private readonly store: FindingStore) {
        this.subscription = store.onDidChange(() => this.rebuild());
    }

    public getTreeItem(node: ReviewNode): vscode.TreeItem {
        if (node.kind === "section") {
            const item = new vscode.TreeItem(node.section, vscode.TreeItemCollapsibleState.Expanded);
            item.id = `section:${node.section}`;
            item.description = `${node.findings.length} ${node.findings.length === 1 ? "finding" : "findings"}`;
            item.iconPath = new vscode.ThemeIcon("symbol-namespace");
            return item;
        }
        const {finding, located, range} = node.stored;
        const item = new vscode.TreeItem(shortComment(finding), vscode.TreeItemCollapsibleState.None);
        item.id = `finding:${finding.id}`;
        item.description = `${severityName(finding.severity)} · ${categoryName(finding.category)}${finding.source === "check" ? " · check" : ""}`
            + (located ? ` · line ${range.start.line + 1}` : " · quote not found");
        item.tooltip = new vscode.MarkdownString(findingMarkdown(finding, located), true);
        item.iconPath = new vscode.ThemeIcon(finding.source === "check" ? "checklist" : severityIcons[finding.severity]);
        item.contextValue = findingContext(finding, located);
        item.command = {command: REVEAL_COMMAND, title: "Show Finding", arguments: [finding.id]};
        return item;
    }

    public getChildren(node?: ReviewNode): ReviewNode[] {
        if (node == null)
            return this.sections;
        return node.kind === "section" ? node.findings.map((stored) => ({kind: "finding", stored, section: node.section})) : [];
    }

    public getParent(node: ReviewNode): ReviewNode | undefined {
        return node.kind === "finding" ? this.sections.find((section) => section.section === node.section) : undefined;
    }

    /** The tree node of a finding, for `TreeView.reveal`. */
    public nodeOf(id: string): ReviewNode | undefined {
        for (const section of this.sections) {
            const stored = section.findings.find((candidate) => candidate.finding.id === id);
            if (stored != null)
                return {kind: "finding", stored, section: section.section};
        }
        return undefined;
    }

    public dispose() {
        this.subscription.dispose();
        this.changed.dispose();
    }

    private rebuild() {
        const sections = new Map<string, Extract<ReviewNode, {kind: "section"}>>();
        for (const stored of this.store.list()) {
            const name = stored.finding.section;
            const section = sections.get(name) ?? {kind: "section", section: name, findings: []};
            section.findings.push(stored);
            sections.set(name, section);
        }
        this.sections = [...sections.values()];
        this.changed.fire();
    }
}
