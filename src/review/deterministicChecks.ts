/**
 * Findings that need no model: the manuscript's cross-references and
 * citations checked against what it defines. Each finding covers the command
 * it is about in the file's text (`\citep{…}`, `\ref{…}`, `\label{…}`), so it
 * shows as a comment thread on the exact line, like the referee's findings.
 *
 * - citation keys no `.bib` entry has (only when every `.bib` file named was
 *   read; otherwise one finding says which are missing, as the keys cannot be
 *   checked);
 * - references to labels never defined, and labels defined more than once;
 * - figures and tables the text never refers to;
 * - other labels never referred to (section labels excepted: see
 *   `isSectionLabel`).
 *
 * No `vscode` import.
 */
import path from "node:path";
import {UserMacros} from "../latex/assemble/UserMacros.ts";
import type {Manuscript, ManuscriptLabel, ManuscriptSection, SourceLocation} from "../latex/Manuscript.ts";
import {allSections, sourceLabel} from "../latex/manuscriptQueries.ts";
import {CITE_COMMANDS, REFERENCE_COMMANDS} from "../latex/parse/latexCommands.ts";
import type {Finding, FindingSeverity} from "./Finding.ts";
import {compareKeys, ManuscriptPlaces} from "./checks/findingPlace.ts";
import {SourceCallReader, type ArgumentShape, type SourceCall} from "./checks/sourceCalls.ts";
import {lineOfOffset} from "./locateQuote.ts";

/** What a check found, before it is placed in the file and numbered. */
type Draft = {
    at: SourceLocation;
    severity: FindingSeverity;
    comment: string;
    /** The command the finding covers, when it can be read back from the file. */
    call?: SourceCall;
    /** The quote when the command cannot be read back (the file's text is not available). */
    fallbackQuote: string;
};

export function deterministicChecks(manuscript: Manuscript, fileText: (file: string) => string | undefined): Finding[] {
    const checks = new ReferenceChecks(manuscript, fileText);
    const drafts = [...checks.citations(), ...checks.undefinedReferences(), ...checks.duplicateLabels(), ...checks.unreferencedFloats(), ...checks.unreferencedLabels()];
    const places = new ManuscriptPlaces(manuscript, fileText);
    const sorted = drafts
        .map((draft, index) => ({draft, index, key: [...places.orderKey(draft.at), draft.call?.start ?? 0]}))
        .sort((a, b) => compareKeys(a.key, b.key) || a.index - b.index);
    return sorted.map(({draft}, index) => {
        const text = fileText(draft.at.file);
        const range = draft.call == null || text == null ? undefined : {
            file: draft.at.file,
            start: draft.call.start,
            end: draft.call.end,
            startLine: lineOfOffset(text, draft.call.start),
            endLine: lineOfOffset(text, draft.call.end - 1)
        };
        return {
            id: `check-${index + 1}`,
            source: "check",
            category: "references",
            severity: draft.severity,
            comment: draft.comment,
            quote: range == null ? draft.fallbackQuote : text!.slice(range.start, range.end),
            ...places.sectionOf(draft.at),
            ...(range == null ? {} : {range})
        };
    });
}

class ReferenceChecks {
    private readonly macros = new UserMacros();
    private readonly readers = new Map<string, SourceCallReader | null>();
    /** How many commands for the same thing were already placed on a line, so the second `\ref{a}` on a line gets the second command. */
    private readonly placed = new Map<string, number>();
    private readonly referenced: Set<string>;
    private readonly defined: Set<string>;
    private readonly sections: ManuscriptSection[];

    public constructor(private readonly manuscript: Manuscript, private readonly fileText: (file: string) => string | undefined) {
        for (const macro of manuscript.macros)
            this.macros.define(macro);
        this.referenced = new Set(manuscript.references.map((reference) => reference.name));
        this.defined = new Set(manuscript.labels.map((label) => label.name));
        this.sections = allSections(manuscript);
    }

    /** Keys without a `.bib` entry; or, when some `.bib` files are missing, one finding saying the keys cannot be checked. */
    public *citations(): Generator<Draft> {
        const {bibFiles, bibEntries} = this.manuscript;
        // No `.bib` named: the references may be a `thebibliography` list, which is not checked.
        if (bibFiles.length === 0)
            return;
        const missingBibs = bibFiles.filter((file) => !file.found);
        if (missingBibs.length > 0) {
            const from = this.manuscript.missing.find((file) => file.command === "bibliography" || file.command === "addbibresource")?.from
                ?? {file: this.manuscript.root, line: 1};
            const names = missingBibs.map((file) => path.basename(file.path));
            const read = bibFiles.filter((file) => file.found).map((file) => path.basename(file.path));
            yield this.draft(from, "minor", (call) => call.name === "bibliography" || call.name === "addbibresource", "bibliography", `\\bibliography{…}`,
                `${list(names)} ${names.length === 1 ? "was" : "were"} not found, so the ${this.manuscript.citations.length} citations cannot be checked against the bibliography` +
                `${read.length === 0 ? "" : ` (${list(read)} ${read.length === 1 ? "was" : "were"} read)`}. Put the missing .bib files next to ${path.basename(this.manuscript.root)} or fix their names to check every \\cite key.`);
            return;
        }
        const keys = new Set(bibEntries.map((entry) => entry.key));
        const byLowerCase = new Map(bibEntries.map((entry) => [entry.key.toLowerCase(), entry.key]));
        const bibNames = list(bibFiles.map((file) => path.basename(file.path)));
        for (const citation of this.manuscript.citations) {
            if (keys.has(citation.key))
                continue;
            const near = byLowerCase.get(citation.key.toLowerCase());
            const hint = near == null ? "" : ` (it has ${near}: keys must match in case)`;
            yield this.draft(citation.at, "major", (call) => call.name === citation.command && splitKeys(call.args.at(-1)).includes(citation.key), `cite\n${citation.key}`,
                `\\${citation.command}{${citation.key}}`,
                `The key ${citation.key} has no entry in ${bibNames}${hint}, so the citation prints as "?"; fix the key or add the entry.`);
        }
    }

    public *undefinedReferences(): Generator<Draft> {
        const unread = this.manuscript.missing.filter((file) => file.command === "input" || file.command === "include" || file.command === "subfile");
        const caveat = unread.length === 0 ? "" : ` (${list(unread.map((file) => file.target))} could not be read; the label may be there)`;
        for (const reference of this.manuscript.references) {
            if (this.defined.has(reference.name))
                continue;
            yield this.draft(reference.at, "major", (call) => call.name === reference.command && this.namesOf(call, "reference").includes(reference.name), `ref\n${reference.name}`,
                `\\${reference.command}{${reference.name}}`,
                (call) => (call == null || call.args[0] === reference.name
                    ? `\\${reference.command}{${reference.name}} names no \\label`
                    : `\\${reference.command}{${call.args[0] ?? ""}} refers to the label ${reference.name}, which no \\label defines`) +
                    `${caveat}, so it prints as "??"; check the label or add it.`);
        }
    }

    /** One finding per definition after the first. */
    public *duplicateLabels(): Generator<Draft> {
        const first = new Map<string, ManuscriptLabel>();
        for (const label of this.manuscript.labels) {
            const earlier = first.get(label.name);
            if (earlier == null) {
                first.set(label.name, label);
                continue;
            }
            yield this.labelDraft(label, "major",
                `The label ${label.name} is defined again here (first at ${sourceLabel(this.manuscript, earlier.at)}); LaTeX warns "multiply defined" and every reference to it goes to one of them. Rename one.`);
        }
    }

    /** Figures and tables no reference names: by their label or a label inside them (a panel's). */
    public *unreferencedFloats(): Generator<Draft> {
        for (const float of this.manuscript.floats) {
            const inside = this.manuscript.labels.filter((label) => samePath(label.at.file, float.at.file) && label.at.line >= float.at.startLine && label.at.line <= float.at.endLine);
            if (inside.some((label) => this.referenced.has(label.name)) || (float.label != null && this.referenced.has(float.label)))
                continue;
            const what = float.kind === "figure" ? "figure" : "table";
            const Name = float.kind === "figure" ? "Figure" : "Table";
            const label = inside.find((candidate) => candidate.name === float.label);
            if (float.label != null && label != null) {
                yield this.labelDraft(label, "minor",
                    `The text never refers to this ${what} (${float.label}); refer to it where its content is discussed (${Name}~\\ref{${float.label}}), or drop it if it is not needed.`);
            } else {
                yield this.draft({file: float.at.file, line: float.at.startLine}, "minor", (call) => call.name === "begin" && call.args[0] === float.environment, `begin\n${float.environment}`,
                    `\\begin{${float.environment}}`,
                    `This ${what} has no \\label, so the text cannot refer to it; add a \\label after its caption and refer to it (${Name}~\\ref{…}).`);
            }
        }
    }

    /**
     * Labels nothing refers to, except those of sections and floats. An
     * unreferenced section label is common and harmless (authors label every
     * section in case), and floats have their own check; an unreferenced
     * equation label usually means a number nobody uses, or a reference that was
     * meant and forgotten, so it is worth a suggestion.
     */
    public *unreferencedLabels(): Generator<Draft> {
        const floatLabels = new Set(this.manuscript.floats.flatMap((float) => float.label == null ? [] : [float.label]));
        const equationLabels = new Set(this.manuscript.equations.flatMap((equation) => equation.label == null ? [] : [equation.label]));
        const reported = new Set<string>();
        for (const label of this.manuscript.labels) {
            if (this.referenced.has(label.name) || floatLabels.has(label.name) || this.isSectionLabel(label) || reported.has(label.name))
                continue;
            reported.add(label.name);
            yield this.labelDraft(label, "suggestion", equationLabels.has(label.name)
                ? `Nothing refers to the equation labelled ${label.name}; refer to it, or drop the label (and the number, if no one needs it).`
                : `Nothing refers to the label ${label.name}; refer to it or remove it.`);
        }
    }

    /** A section's label: one the model gave a section, one on a heading's line or the next, or one named like a section's. */
    private isSectionLabel(label: ManuscriptLabel): boolean {
        if (/^(?:sec|ssec|sssec|subsec|subsubsec|sect|section|subsection|chap|chapter|app|appendix|part)(?:[:._-]|$)/i.test(label.name))
            return true;
        return this.sections.some((section) => section.label === label.name
            || (samePath(section.heading.file, label.at.file) && (label.at.line === section.heading.line || label.at.line === section.heading.line + 1)));
    }

    private labelDraft(label: ManuscriptLabel, severity: FindingSeverity, comment: string): Draft {
        return this.draft(label.at, severity, (call) => this.namesOf(call, "label").includes(label.name), `label\n${label.name}`, `\\label{${label.name}}`, comment);
    }

    /** A finding at the `matches` command on `at`'s line (the n-th such for the n-th finding about the same thing there). */
    private draft(at: SourceLocation, severity: FindingSeverity, matches: (call: SourceCall) => boolean, what: string, fallbackQuote: string,
        comment: string | ((call: SourceCall | undefined) => string)): Draft {
        const reader = this.reader(at.file);
        const key = `${path.resolve(at.file)}\n${at.line}\n${what}`;
        const nth = this.placed.get(key) ?? 0;
        this.placed.set(key, nth + 1);
        const calls = reader?.callsOnLine(at.line, (name) => this.shape(name)).filter(matches) ?? [];
        const call = calls[Math.min(nth, calls.length - 1)];
        return {at, severity, comment: typeof comment === "string" ? comment : comment(call), fallbackQuote, ...(call == null ? {} : {call})};
    }

    /** The labels a command defines or refers to, through the manuscript's macros. */
    private namesOf(call: SourceCall, kind: "label" | "reference"): string[] {
        const meaning = this.macros.meaning(call.name, call.args);
        return meaning?.kind === kind ? meaning.names : [];
    }

    private shape(name: string): ArgumentShape | undefined {
        if (CITE_COMMANDS.has(name))
            return {optionals: 2, mandatory: 1};
        const macro = this.manuscript.macros.findLast((definition) => definition.name === name);
        if (macro != null) {
            const optional = macro.optionalDefault != null ? 1 : 0;
            return {optionals: optional, mandatory: macro.parameters - optional};
        }
        if (name === "label" || name === "begin" || name === "bibliography" || REFERENCE_COMMANDS.has(name))
            return {optionals: 0, mandatory: 1};
        if (name === "addbibresource")
            return {optionals: 1, mandatory: 1};
        return undefined;
    }

    private reader(file: string): SourceCallReader | undefined {
        const resolved = path.resolve(file);
        if (!this.readers.has(resolved)) {
            const text = this.fileText(file);
            this.readers.set(resolved, text == null ? null : new SourceCallReader(text));
        }
        return this.readers.get(resolved) ?? undefined;
    }
}

function splitKeys(argument: string | undefined): string[] {
    return (argument ?? "").split(",").map((key) => key.trim()).filter((key) => key !== "");
}

function samePath(a: string, b: string): boolean {
    return path.resolve(a) === path.resolve(b);
}

/** "a.bib", "a.bib and b.bib", "a.bib, b.bib and c.bib". */
function list(names: readonly string[]): string {
    return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
