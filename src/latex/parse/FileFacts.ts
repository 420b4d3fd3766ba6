/**
 * What one LaTeX file says, independent of the manuscript it belongs to: the
 * commands the model reads, in source order, at file offsets. Facts depend only
 * on the file's text, so they are cached by its content (`FactsCache`) and the
 * assembler gives them meaning in context (numbering, user macros, nesting).
 */
import type {SectionCommand} from "../Manuscript.ts";
import type {OffsetProblem} from "./sourceRegions.ts";

export type InputCommand = "input" | "include" | "subfile" | "import" | "subimport" | "inputfrom" | "subinputfrom" | "includefrom" | "subincludefrom";

/** One command of interest. `at` is the file offset of its backslash; `end`, where its arguments end. */
export type FileEvent =
    | {kind: "heading"; at: number; end: number; command: SectionCommand; starred: boolean; title: string}
    /**
     * `\label`, a reference command, or any other command followed by short
     * key-like arguments (a candidate user macro such as `\secref{sec:intro}`,
     * whose meaning depends on the manuscript's definitions).
     */
    | {kind: "call"; at: number; name: string; args: string[]}
    | {kind: "cite"; at: number; command: string; keys: string[]}
    | {kind: "input"; at: number; end: number; command: InputCommand; target: string; directory?: string}
    | {kind: "bibliography"; at: number; command: "bibliography" | "addbibresource"; targets: string[]}
    | {kind: "define"; at: number; end: number; name: string; command: string; parameters: number; optionalDefault?: string; body: string}
    /** `\begin{name}`; `contentAt` is just after it. Display math (`\[`, `$$`) is the environment "display". */
    | {kind: "begin"; at: number; contentAt: number; name: string}
    /** `\end{name}` from `at` to `end`. */
    | {kind: "end"; at: number; end: number; name: string}
    | {kind: "caption"; at: number; text: string}
    | {kind: "title"; at: number; end: number; text: string}
    /** `\abstract{…}`: its content spans `[contentAt, contentEnd)`. */
    | {kind: "abstract"; at: number; end: number; contentAt: number; contentEnd: number}
    /** A title-block or back-matter command, not body text; or (`layout`) one that is not preface text. */
    | {kind: "notBodyText"; at: number; end: number; layout: boolean}
    | {kind: "appendix"; at: number}
    /** `\acknowledgments`: back matter from here to the next heading. */
    | {kind: "backMatter"; at: number; end: number}
    | {kind: "documentClass"; at: number; name: string; options: string}
    | {kind: "secnumdepth"; at: number; value: number};

export type FileFacts = {
    /** Offset of the first character of each line. */
    lineStarts: number[];
    events: FileEvent[];
    /** Flat `[start, end, …]` ranges of comments and skipped blocks, for text without them. */
    removed: number[];
    problems: OffsetProblem[];
};
