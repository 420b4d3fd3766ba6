/**
 * The review's findings in the Problems panel (setting
 * `astrosage.review.showInProblems`), and the quick fix "Apply AstroSage
 * suggestion" on a finding with a rewrite. As in VS Code's code-actions
 * sample, a diagnostic's `code` links it to its fix: findings with a rewrite
 * have the code "suggestion".
 */
import * as vscode from "vscode";
import type {FindingSeverity} from "../Finding.ts";
import {diagnosticMessage} from "./describeFinding.ts";
import type {FindingStore, StoredFinding} from "./FindingStore.ts";

export const SUGGESTION_CODE = "suggestion";
export const APPLY_COMMAND = "astrosage.review.applySuggestion";

/** A referee's major point is a warning, not an error: the manuscript still builds. */
const severities: Record<FindingSeverity, vscode.DiagnosticSeverity> = {
    major: vscode.DiagnosticSeverity.Warning,
    minor: vscode.DiagnosticSeverity.Information,
    suggestion: vscode.DiagnosticSeverity.Information
};

export class ReviewDiagnostics implements vscode.Disposable, vscode.CodeActionProvider {
    public static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

    private readonly collection = vscode.languages.createDiagnosticCollection("astrosage-review");
    private readonly disposables: vscode.Disposable[] = [];

    public constructor(private readonly store: FindingStore, private readonly enabled: () => boolean) {
        this.disposables.push(
            this.collection,
            store.onDidChange(() => this.refresh()),
            vscode.workspace.onDidChangeConfiguration((event) => {
                if (event.affectsConfiguration("astrosage.review.showInProblems"))
                    this.refresh();
            }),
            vscode.languages.registerCodeActionsProvider([{language: "latex"}, {pattern: "**/*.tex"}], this, {
                providedCodeActionKinds: ReviewDiagnostics.providedCodeActionKinds
            })
        );
    }

    /** The quick fixes for findings with a rewrite under the cursor or selection. */
    public provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
        return this.store.inDocument(document.uri)
            .filter((stored) => stored.located && stored.finding.suggestion != null && stored.range.intersection(range) != null)
            .map((stored) => {
                const action = new vscode.CodeAction("Apply AstroSage suggestion", vscode.CodeActionKind.QuickFix);
                action.command = {command: APPLY_COMMAND, title: "Apply AstroSage suggestion", arguments: [stored.finding.id]};
                action.diagnostics = context.diagnostics.filter((diagnostic) => isDiagnosticOf(diagnostic, stored));
                action.isPreferred = action.diagnostics.length > 0;
                return action;
            });
    }

    public dispose() {
        for (const disposable of this.disposables.splice(0).reverse())
            disposable.dispose();
    }

    private refresh() {
        this.collection.clear();
        if (!this.enabled())
            return;
        const byFile = new Map<string, {uri: vscode.Uri; diagnostics: vscode.Diagnostic[]}>();
        for (const stored of this.store.list()) {
            const entry = byFile.get(stored.uri.toString()) ?? {uri: stored.uri, diagnostics: []};
            entry.diagnostics.push(diagnosticOf(stored));
            byFile.set(stored.uri.toString(), entry);
        }
        for (const {uri, diagnostics} of byFile.values())
            this.collection.set(uri, diagnostics);
    }
}

function diagnosticOf(stored: StoredFinding): vscode.Diagnostic {
    const {finding, located} = stored;
    const diagnostic = new vscode.Diagnostic(stored.range, diagnosticMessage(finding, located), severities[finding.severity]);
    diagnostic.source = finding.source === "check" ? "AstroSage check" : "AstroSage review";
    if (finding.suggestion != null && located)
        diagnostic.code = SUGGESTION_CODE;
    return diagnostic;
}

/** Diagnostics come back to the provider as copies: they are matched by code, range and message. */
function isDiagnosticOf(diagnostic: vscode.Diagnostic, stored: StoredFinding): boolean {
    return diagnostic.code === SUGGESTION_CODE && diagnostic.range.isEqual(stored.range) && diagnostic.message === diagnosticMessage(stored.finding, stored.located);
}
