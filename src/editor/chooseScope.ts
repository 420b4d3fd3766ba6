/**
 * Which part of a manuscript a command works on: the selection, the section at
 * the cursor, or the whole manuscript. Asked with a quick pick when more than
 * one applies; a command invoked from a menu or a test names it instead.
 */
import * as vscode from "vscode";
import type {Manuscript} from "../latex/Manuscript.ts";
import {sectionAt} from "../latex/manuscriptQueries.ts";
import {headingTitle, type SummaryScope} from "../summarize/planSummary.ts";

export const scopeKinds = ["selection", "section", "document"] as const;
export type ScopeKind = typeof scopeKinds[number];

export type ChosenScope = {scope: SummaryScope; kind: ScopeKind; /** "the selection", "§3 Data", "the whole manuscript" */ label: string};

type ScopeItem = vscode.QuickPickItem & {chosen: ChosenScope};

/**
 * The scope `argument` names (when it is a scope kind), or the user's choice when
 * more than one applies; undefined when dismissed or not available (said why).
 * `verb` completes the questions: "summarize", "review".
 */
export async function chooseScope(manuscript: Manuscript, editor: vscode.TextEditor, argument: unknown, command: {title: string; verb: string}): Promise<ChosenScope | undefined> {
    const items: ScopeItem[] = [];
    const {document, selection} = editor;
    const selected = document.getText(selection);
    if (!selection.isEmpty && selected.trim() !== "") {
        const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
        items.push({
            label: "$(selection) Selection",
            description: `lines ${selection.start.line + 1}–${endLine}`,
            chosen: {kind: "selection", label: "the selection", scope: {kind: "selection", text: selected, at: {file: document.uri.fsPath, startLine: selection.start.line + 1, endLine}}}
        });
    }
    const section = sectionAt(manuscript, {file: document.uri.fsPath, line: selection.active.line + 1});
    if (section != null) {
        items.push({
            label: "$(list-tree) Current section",
            description: headingTitle(section),
            chosen: {kind: "section", label: headingTitle(section), scope: {kind: "section", sectionId: section.id}}
        });
    }
    const files = manuscript.files.length;
    items.push({
        label: "$(book) Whole manuscript",
        description: `${manuscript.title ?? fileName(manuscript.root)} · ${files} ${files === 1 ? "file" : "files"}`,
        chosen: {kind: "document", label: "the whole manuscript", scope: {kind: "document"}}
    });

    const wanted = scopeKinds.find((kind) => kind === argument);
    if (wanted != null) {
        const item = items.find((candidate) => candidate.chosen.kind === wanted);
        if (item == null)
            void vscode.window.showInformationMessage(wanted === "selection" ? `Select the LaTeX to ${command.verb} first.` : "The cursor is not inside a section.");
        return item?.chosen;
    }
    if (items.length === 1)
        return items[0]!.chosen;
    const picked = await vscode.window.showQuickPick(items, {title: command.title, placeHolder: `What should AstroSage ${command.verb}?`});
    return picked?.chosen;
}

function fileName(file: string): string {
    return file.split(/[\\/]/).at(-1) ?? file;
}
