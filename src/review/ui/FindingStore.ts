/**
 * The findings of the current review, each with where it is now: its range is
 * moved along with edits elsewhere in its file (through the documents' content
 * changes), so a comment stays on its sentence while the user works. A new
 * review clears the store; dismissed and applied findings leave it.
 */
import * as vscode from "vscode";
import type {Finding} from "../Finding.ts";
import {locateQuote} from "../locateQuote.ts";
import {shiftRange, type OffsetRange} from "./shiftRange.ts";

export type StoredFinding = {
    readonly finding: Finding;
    /** The file it is shown in: its quote's, or its section heading's when the quote was not found. */
    readonly uri: vscode.Uri;
    /** Whether the quote was found (otherwise it is shown at its section's heading). */
    readonly located: boolean;
    /**
     * Offsets in the file's current text: the quote's, or the start of the heading's
     * line. Undefined only when the file could not be read.
     */
    offsets?: OffsetRange;
    /** `offsets` as lines and characters. */
    range: vscode.Range;
    /** The file's text at the range when the finding arrived: what Apply expects to replace. */
    readonly reviewedText: string;
    /** Set once an edit touched the text at the range. */
    edited: boolean;
};

/** Reads a file's current text: the open editor's, else the file on disk. */
export type TextSource = (file: string) => string | undefined;

export class FindingStore implements vscode.Disposable {
    private readonly findings = new Map<string, StoredFinding>();
    /** Files in the manuscript's reading order, to number findings in document order. */
    private fileOrder: string[] = [];
    private readonly changed = new vscode.EventEmitter<void>();
    private readonly subscription: vscode.Disposable;
    /** Fired after findings are added, moved or removed. */
    public readonly onDidChange = this.changed.event;

    public constructor(private readonly textOf: TextSource) {
        this.subscription = vscode.workspace.onDidChangeTextDocument((event) => this.track(event));
    }

    /** Starts a new review of a manuscript whose files are `files`: the previous findings go. */
    public startReview(files: readonly string[]) {
        this.findings.clear();
        this.fileOrder = [...files];
        this.changed.fire();
    }

    /** Adds findings whose offsets refer to their files' current text. */
    public add(findings: readonly Finding[]) {
        if (findings.length === 0)
            return;
        for (const finding of findings)
            this.findings.set(finding.id, this.place(finding));
        this.changed.fire();
    }

    public remove(id: string) {
        if (this.findings.delete(id))
            this.changed.fire();
    }

    public clear() {
        if (this.findings.size === 0)
            return;
        this.findings.clear();
        this.changed.fire();
    }

    public get(id: string): StoredFinding | undefined {
        return this.findings.get(id);
    }

    public get size(): number {
        return this.findings.size;
    }

    /** Every finding in document order: by file in reading order, then by place in the file. */
    public list(): StoredFinding[] {
        const fileRank = (uri: vscode.Uri) => {
            const index = this.fileOrder.indexOf(uri.fsPath);
            return index < 0 ? this.fileOrder.length : index;
        };
        return [...this.findings.values()].sort((a, b) =>
            fileRank(a.uri) - fileRank(b.uri)
            || a.uri.fsPath.localeCompare(b.uri.fsPath)
            || a.range.start.compareTo(b.range.start)
            || (a.located === b.located ? 0 : a.located ? 1 : -1));
    }

    /** The findings shown in one document, in document order. */
    public inDocument(uri: vscode.Uri): StoredFinding[] {
        return this.list().filter((stored) => stored.uri.toString() === uri.toString());
    }

    public dispose() {
        this.subscription.dispose();
        this.changed.dispose();
    }

    private place(finding: Finding): StoredFinding {
        if (finding.range != null) {
            const {file} = finding.range;
            const text = this.textOf(file);
            const offsets = text == null ? undefined : currentOffsets(text, finding);
            if (text != null && offsets != null)
                return {finding, uri: vscode.Uri.file(file), located: true, offsets, range: rangeIn(text, offsets.start, offsets.end), reviewedText: text.slice(offsets.start, offsets.end), edited: false};
            const range = new vscode.Range(finding.range.startLine - 1, 0, finding.range.endLine, 0);
            return {finding, uri: vscode.Uri.file(file), located: true, range, reviewedText: finding.quote, edited: false};
        }
        // Not found: shown on its section's heading line, which moves with edits like a quote.
        const {file, line} = finding.sectionAt;
        const text = this.textOf(file);
        const start = text == null ? undefined : lineStart(text, line - 1);
        const offsets = start == null ? undefined : {start, end: start};
        const range = text == null || start == null ? new vscode.Range(line - 1, 0, line - 1, 0) : rangeIn(text, start, start);
        return {finding, uri: vscode.Uri.file(file), located: false, offsets, range, reviewedText: "", edited: false};
    }

    private track(event: vscode.TextDocumentChangeEvent) {
        if (event.contentChanges.length === 0 || this.findings.size === 0)
            return;
        const key = event.document.uri.toString();
        let moved = false;
        for (const stored of this.findings.values()) {
            if (stored.offsets == null || stored.uri.toString() !== key)
                continue;
            // Changes of one event are given last to first in the document, each against the text before the event.
            let offsets = stored.offsets;
            for (const change of event.contentChanges) {
                const shifted = shiftRange(offsets, change);
                offsets = shifted.range;
                stored.edited ||= shifted.touched && stored.located;
            }
            if (offsets.start !== stored.offsets.start || offsets.end !== stored.offsets.end) {
                stored.offsets = offsets;
                moved = true;
            }
            const range = new vscode.Range(event.document.positionAt(offsets.start), event.document.positionAt(offsets.end));
            if (!range.isEqual(stored.range)) {
                stored.range = range;
                moved = true;
            }
        }
        if (moved)
            this.changed.fire();
    }
}

/** How far from its reported place a quote is looked for when the text moved meanwhile, in characters. */
const DRIFT = 4000;

/**
 * The finding's offsets in the file's text now. A long review reads each file
 * once; when the user edited it since, the quote is found again near its place.
 */
function currentOffsets(text: string, finding: Finding): OffsetRange | undefined {
    const {start, end} = finding.range!;
    if (end <= text.length && text.slice(start, end) === finding.quote)
        return {start, end};
    const found = locateQuote(text, finding.quote, {near: start, within: {start: Math.max(0, start - DRIFT), end: end + DRIFT}});
    if (found != null)
        return found;
    return end <= text.length ? {start, end} : undefined;
}

/** The lines-and-characters range of `start`–`end` in `text`. */
function rangeIn(text: string, start: number, end: number): vscode.Range {
    return new vscode.Range(positionIn(text, start), positionIn(text, end));
}

function positionIn(text: string, offset: number): vscode.Position {
    let line = 0;
    let lineStartOffset = 0;
    for (let index = text.indexOf("\n"); index >= 0 && index < offset; index = text.indexOf("\n", index + 1)) {
        line++;
        lineStartOffset = index + 1;
    }
    return new vscode.Position(line, offset - lineStartOffset);
}

/** The offset where 0-based `line` starts; undefined past the end. */
function lineStart(text: string, line: number): number | undefined {
    let offset = 0;
    for (let current = 0; current < line; current++) {
        const next = text.indexOf("\n", offset);
        if (next < 0)
            return undefined;
        offset = next + 1;
    }
    return offset;
}
