/**
 * Reads the root file's facts in document order, following `\input` and kin
 * into other files where they stand, and builds the manuscript model: the
 * section tree with LaTeX's numbers, each section's own text (across files),
 * equations and floats with their labels, references resolved through the
 * manuscript's own macros, citations, macros, bibliographies, and everything
 * that could not be read, as `missing` and `problems`.
 *
 * Text flows to one target at a time (nothing in the preamble, the preface, the
 * abstract, or the latest section); commands that are not body text (the title
 * block, acknowledgments) are cut out of the flow.
 */
import path from "node:path";
import type {Manuscript, ManuscriptSection, MissingFile, SourceLocation, SourceText} from "../Manuscript.ts";
import type {FileEvent, InputCommand} from "../parse/FileFacts.ts";
import {SECTION_LEVELS} from "../parse/latexCommands.ts";
import {inputCandidates, type IncludeContext} from "../resolveInclude.ts";
import {EnvironmentFrames, type Frame} from "./EnvironmentFrames.ts";
import {locationOf, sourceTextOf, type LoadedFile} from "./LoadedFile.ts";
import {readBibliographies, type BibLoad, type BibRequest} from "./readBibliographies.ts";
import {SectionNumbering} from "./SectionNumbering.ts";
import {UserMacros} from "./UserMacros.ts";

/** A file read for the manuscript: its facts, a reason it cannot be used, or undefined when there is no such file. */
export type FileLoad = {file: LoadedFile} | {problem: string} | undefined;

export type Loaders = {
    loadFile(path: string): Promise<FileLoad>;
    loadBib(path: string): Promise<BibLoad>;
};

/** Inputs nested deeper than this are a loop TeX would also never finish. */
const MAX_INPUT_DEPTH = 32;

type TextTarget = {kind: "none"} | {kind: "preface"} | {kind: "abstract"} | {kind: "section"; section: ManuscriptSection};

/** Where one file is being read: the file, how far its text has gone to a target, how it was reached. */
type FileWalk = {file: LoadedFile; cursor: number; context: IncludeContext; chain: string[]};

export class ManuscriptAssembler {
    private readonly manuscript: Manuscript;
    private readonly numbering = new SectionNumbering();
    private readonly macros = new UserMacros();
    private readonly frames = new EnvironmentFrames();
    private readonly openSections: ManuscriptSection[] = [];
    private readonly filesSeen = new Set<string>();
    private readonly bibRequests: BibRequest[] = [];
    private target: TextTarget = {kind: "none"};
    private inDocument: boolean;
    private finished = false;

    public constructor(private readonly root: LoadedFile, private readonly loaders: Loaders, private readonly signal?: AbortSignal) {
        this.manuscript = {
            root: root.path, rootDirectory: path.dirname(root.path), files: [], preface: [], sections: [], equations: [], floats: [], labels: [],
            references: [], citations: [], bibFiles: [], bibEntries: [], macros: [], missing: [], problems: []
        };
        // A fragment without a preamble is body text from its first line.
        this.inDocument = !root.facts.events.some((event) => event.kind === "documentClass" || (event.kind === "begin" && event.name === "document"));
        if (this.inDocument)
            this.target = {kind: "preface"};
    }

    public async assemble(): Promise<Manuscript> {
        const context = {rootDirectory: this.manuscript.rootDirectory, includingFile: this.root.path};
        await this.walkFile(this.root, context, [this.root.path]);
        for (const frame of this.frames.drain())
            this.problem(`\`\\begin{${frame.name}}\` is never closed.`, frame.begin);
        await readBibliographies(this.bibRequests, this.loaders.loadBib, this.manuscript, this.signal);
        return this.manuscript;
    }

    private async walkFile(file: LoadedFile, context: IncludeContext, chain: string[]): Promise<void> {
        this.recordFile(file);
        const walk: FileWalk = {file, cursor: 0, context, chain};
        // A subfile brings its own preamble: only its document body is part of the manuscript.
        const ownPreamble = file !== this.root && file.facts.events.some((event) => event.kind === "documentClass");
        let inOwnPreamble = ownPreamble;
        for (const event of file.facts.events) {
            if (this.finished)
                return;
            if (inOwnPreamble) {
                if (event.kind === "begin" && event.name === "document") {
                    inOwnPreamble = false;
                    walk.cursor = event.contentAt;
                } else if (event.kind === "define")
                    this.define(walk, event);
                continue;
            }
            if (ownPreamble && event.kind === "end" && event.name === "document") {
                this.emit(walk, event.at);
                walk.cursor = file.text.length;
                break;
            }
            await this.handle(walk, event);
        }
        if (!this.finished && !inOwnPreamble)
            this.emit(walk, file.text.length);
    }

    private async handle(walk: FileWalk, event: FileEvent): Promise<void> {
        switch (event.kind) {
            case "heading":
                if (this.inDocument) {
                    this.emit(walk, event.at);
                    walk.cursor = Math.max(walk.cursor, event.end);
                    this.openSection(walk, event);
                }
                return;
            case "input":
                this.emit(walk, event.at);
                walk.cursor = Math.max(walk.cursor, event.end);
                return this.include(walk, event);
            case "call":
                return this.call(walk, event);
            case "cite":
                for (const key of event.keys)
                    this.manuscript.citations.push({key, command: event.command, at: locationOf(walk.file, event.at)});
                return;
            case "bibliography":
                this.bibRequests.push({command: event.command, targets: event.targets, from: locationOf(walk.file, event.at), context: walk.context});
                return;
            case "define":
                this.emit(walk, event.at);
                walk.cursor = Math.max(walk.cursor, event.end);
                return this.define(walk, event);
            case "begin":
                return this.begin(walk, event);
            case "end":
                return this.end(walk, event);
            case "caption":
                this.frames.innermostFloat()?.captions.push(event.text);
                return;
            case "title":
                this.manuscript.title ??= this.macros.expandPlain(event.text);
                return;
            case "abstract":
                this.emit(walk, event.at);
                this.addAbstract(sourceTextOf(walk.file, event.contentAt, event.contentEnd));
                walk.cursor = Math.max(walk.cursor, event.end);
                return;
            case "notBodyText":
                if (event.layout && this.target.kind !== "preface")
                    return;
                this.emit(walk, event.at);
                walk.cursor = Math.max(walk.cursor, event.end);
                return;
            case "appendix":
                this.numbering.appendix();
                return;
            case "backMatter":
                this.emit(walk, event.at);
                walk.cursor = Math.max(walk.cursor, event.end);
                this.target = {kind: "none"};
                return;
            case "documentClass":
                if (walk.file === this.root)
                    this.numbering.setDocumentClass(event.name);
                return;
            case "secnumdepth":
                this.numbering.setDepth(event.value);
                return;
        }
    }

    /** Sends the text from the walk's cursor up to `to` to the current target. */
    private emit(walk: FileWalk, to: number): void {
        if (to <= walk.cursor)
            return;
        const target = this.target;
        const piece = target.kind === "none" ? undefined : sourceTextOf(walk.file, walk.cursor, to);
        walk.cursor = to;
        if (piece == null)
            return;
        if (target.kind === "preface")
            this.manuscript.preface.push(piece);
        else if (target.kind === "section")
            target.section.body.push(piece);
        else if (target.kind === "abstract")
            this.addAbstract(piece);
    }

    private addAbstract(piece: SourceText | undefined): void {
        if (piece == null)
            return;
        const abstract = this.manuscript.abstract;
        if (abstract == null)
            this.manuscript.abstract = piece;
        else
            // An abstract spread over files keeps its first file's place.
            this.manuscript.abstract = {...abstract, endLine: abstract.file === piece.file ? piece.endLine : abstract.endLine, text: `${abstract.text}\n\n${piece.text}`};
    }

    private openSection(walk: FileWalk, event: Extract<FileEvent, {kind: "heading"}>): void {
        for (const unclosed of this.frames.closeBeforeHeading())
            this.problem(`\`\\begin{${unclosed.name}}\` is not closed before the next heading.`, unclosed.begin);
        const {number, id} = this.numbering.open(event.command, event.starred);
        const level = SECTION_LEVELS[event.command];
        while (this.openSections.length > 0 && SECTION_LEVELS[this.openSections.at(-1)!.command] >= level)
            this.openSections.pop();
        const section: ManuscriptSection = {
            id, command: event.command, depth: this.openSections.length, starred: event.starred,
            title: this.macros.expandPlain(event.title), ...(number == null ? {} : {number}),
            heading: locationOf(walk.file, event.at), body: [], children: []
        };
        const parent = this.openSections.at(-1);
        (parent == null ? this.manuscript.sections : parent.children).push(section);
        this.openSections.push(section);
        this.target = {kind: "section", section};
    }

    private async include(walk: FileWalk, event: Extract<FileEvent, {kind: "input"}>): Promise<void> {
        this.signal?.throwIfAborted();
        const from = locationOf(walk.file, event.at);
        const {paths, importDirectory} = inputCandidates(event.command, event.target, event.directory, walk.context);
        for (const candidate of paths) {
            if (walk.chain.includes(candidate)) {
                this.problem(`\`\\${event.command}{${event.target}}\` would read ${candidate} inside itself; it is read once.`, from);
                return;
            }
            const loaded = await this.loaders.loadFile(candidate);
            this.signal?.throwIfAborted();
            if (loaded == null)
                continue;
            if ("problem" in loaded) {
                this.problem(`Skipped ${event.target}: ${loaded.problem}`, from);
                return;
            }
            if (walk.chain.length >= MAX_INPUT_DEPTH) {
                this.problem(`\`\\${event.command}{${event.target}}\` is nested more than ${MAX_INPUT_DEPTH} files deep; it is not read.`, from);
                return;
            }
            const context: IncludeContext = {rootDirectory: walk.context.rootDirectory, includingFile: candidate, ...(importDirectory == null ? {} : {importDirectory})};
            await this.walkFile(loaded.file, context, [...walk.chain, candidate]);
            return;
        }
        this.manuscript.missing.push({target: event.target, command: missingCommand(event.command), from, tried: paths});
    }

    private call(walk: FileWalk, event: Extract<FileEvent, {kind: "call"}>): void {
        const meaning = this.macros.meaning(event.name, event.args);
        if (meaning == null)
            return;
        const at = locationOf(walk.file, event.at);
        for (const name of meaning.names) {
            if (meaning.kind === "reference")
                this.manuscript.references.push({name, command: event.name, at});
            else
                this.addLabel(name, at);
        }
    }

    /** Records a label and gives it to what it names: the innermost equation or float, else the current section. */
    private addLabel(name: string, at: SourceLocation): void {
        this.manuscript.labels.push({name, at});
        const owner = this.frames.labelOwner();
        if (owner === "section") {
            if (this.target.kind === "section")
                this.target.section.label ??= name;
        } else if (owner != null)
            owner.label ??= name;
    }

    private define(walk: FileWalk, event: Extract<FileEvent, {kind: "define"}>): void {
        const {kind: _kind, at, end: _end, ...rest} = event;
        const definition = {...rest, at: locationOf(walk.file, at)};
        this.manuscript.macros.push(definition);
        this.macros.define(definition);
    }

    private begin(walk: FileWalk, event: Extract<FileEvent, {kind: "begin"}>): void {
        const begin = locationOf(walk.file, event.at);
        const frame = this.frames.open(event.name, walk.file, event.at, event.contentAt, begin, this.target);
        switch (frame.kind) {
            case "document":
                this.inDocument = true;
                this.target = {kind: "preface"};
                walk.cursor = Math.max(walk.cursor, event.contentAt);
                return;
            case "abstract":
            case "backMatter":
                this.emit(walk, event.at);
                this.target = frame.kind === "abstract" ? {kind: "abstract"} : {kind: "none"};
                walk.cursor = Math.max(walk.cursor, event.contentAt);
                return;
            case "appendix":
                this.numbering.appendix();
                return;
            default:
                return;
        }
    }

    private end(walk: FileWalk, event: Extract<FileEvent, {kind: "end"}>): void {
        const at = locationOf(walk.file, event.at);
        const closed = this.frames.close(event.name);
        if (closed == null) {
            this.problem(`\`\\end{${event.name}}\` has no \`\\begin{${event.name}}\`.`, at);
            return;
        }
        for (const unclosed of closed.unclosed) {
            this.problem(`\`\\begin{${unclosed.name}}\` is never closed (\`\\end{${event.name}}\` comes first).`, unclosed.begin);
            this.restoreTarget(unclosed);
        }
        this.finish(walk, closed.frame, event);
    }

    private finish(walk: FileWalk, frame: Frame, event: Extract<FileEvent, {kind: "end"}>): void {
        switch (frame.kind) {
            case "equation":
                this.manuscript.equations.push({
                    environment: frame.name, ...(frame.label == null ? {} : {label: frame.label}),
                    tex: frame.file === walk.file ? frame.text(event.at) : frame.text(frame.file.text.length),
                    at: frame.span(walk.file, event.end)
                });
                return;
            case "float":
                this.manuscript.floats.push({
                    kind: frame.floatKind!, environment: frame.name, caption: frame.captions[0] ?? frame.subCaptions[0] ?? "",
                    ...(frame.label == null ? {} : {label: frame.label}), at: frame.span(walk.file, event.end)
                });
                return;
            case "abstract":
            case "backMatter":
                this.emit(walk, event.at);
                this.restoreTarget(frame);
                walk.cursor = Math.max(walk.cursor, event.end);
                return;
            case "document":
                // TeX reads nothing after \end{document}.
                this.emit(walk, event.at);
                walk.cursor = walk.file.text.length;
                this.target = {kind: "none"};
                this.finished = true;
                return;
            default:
                return;
        }
    }

    private restoreTarget(frame: Frame): void {
        if (frame.kind === "abstract" || frame.kind === "backMatter")
            this.target = frame.outerTarget as TextTarget;
    }

    private recordFile(file: LoadedFile): void {
        if (this.filesSeen.has(file.path))
            return;
        this.filesSeen.add(file.path);
        this.manuscript.files.push({path: file.path, bytes: Buffer.byteLength(file.text, "utf8")});
        for (const problem of file.facts.problems)
            this.problem(problem.message, locationOf(file, problem.offset));
    }

    private problem(message: string, at: SourceLocation): void {
        this.manuscript.problems.push({message, at});
    }
}

function missingCommand(command: InputCommand): MissingFile["command"] {
    if (command === "include" || command === "includefrom" || command === "subincludefrom")
        return "include";
    // `\import` and kin are `\input` with a folder.
    return command === "subfile" ? "subfile" : "input";
}

