/**
 * Follows the active editor's selection, which the next prompt includes unless
 * the user removes its chip. A removed selection stays removed until it changes.
 */
import * as path from "node:path";
import * as vscode from "vscode";
import type {Attachment} from "../chat/Conversation.ts";

/** The most text a prompt carries from the editor; about a third of an 8,192-token context. */
export const MAX_SELECTION_CHARACTERS = 12_000;

export type TrackedSelection = {label: string; lineCount: number};

export class SelectionTracker implements vscode.Disposable {
    private dismissedKey: string | undefined;
    private readonly disposables: vscode.Disposable[] = [];

    public constructor(private readonly onChange: (selection: TrackedSelection | null) => void) {
        this.disposables.push(
            vscode.window.onDidChangeTextEditorSelection(() => this.onChange(this.current)),
            vscode.window.onDidChangeActiveTextEditor(() => this.onChange(this.current))
        );
    }

    /** The selection the next prompt would include, or null. */
    public get current(): TrackedSelection | null {
        const found = this.find();
        if (found == null || found.key === this.dismissedKey)
            return null;
        return {label: found.label, lineCount: found.lineCount};
    }

    /** Leaves the current selection out of the next prompts. */
    public dismiss() {
        this.dismissedKey = this.find()?.key;
        this.onChange(this.current);
    }

    /** Includes the current selection again (after "Ask About Selection"). */
    public include() {
        this.dismissedKey = undefined;
        this.onChange(this.current);
    }

    /** The selection as the model receives it; throws with a message for the user when it is too long. */
    public attachment(): Attachment | undefined {
        const found = this.find();
        if (found == null || found.key === this.dismissedKey)
            return undefined;
        if (found.text.length > MAX_SELECTION_CHARACTERS)
            throw new Error(`The selection (${found.text.length.toLocaleString("en")} characters) is too long to send with a question; select up to ${MAX_SELECTION_CHARACTERS.toLocaleString("en")} characters.`);
        const fence = found.text.includes("```") ? "````" : "```";
        return {
            label: found.label,
            text: `From ${found.label} (${found.languageId}):\n${fence}${found.languageId}\n${found.text}\n${fence}`
        };
    }

    public dispose() {
        for (const disposable of this.disposables)
            disposable.dispose();
    }

    private find() {
        const editor = vscode.window.activeTextEditor;
        if (editor == null || editor.selection.isEmpty)
            return undefined;
        const {selection, document} = editor;
        const text = document.getText(selection);
        if (text.trim() === "")
            return undefined;
        const first = selection.start.line + 1;
        const last = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
        const name = path.basename(document.uri.path);
        return {
            key: `${document.uri.toString()}:${document.offsetAt(selection.start)}:${document.offsetAt(selection.end)}:${document.version}`,
            label: first === last ? `${name}:${first}` : `${name}:${first}-${last}`,
            lineCount: last - first + 1,
            text,
            languageId: document.languageId
        };
    }
}
