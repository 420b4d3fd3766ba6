/**
 * The manuscript model: what a LaTeX manuscript contains, across all its files,
 * with every part mapped back to the file and lines it came from. Built in a
 * worker (see `LatexService`), so these are plain data that cross a thread
 * boundary. No `vscode` import.
 *
 * Paths are absolute, as the file system names them; lines are 1-based and
 * ranges are inclusive.
 */

/** A place in a source file. */
export type SourceLocation = {file: string; line: number};

/** Consecutive lines of one source file. */
export type SourceSpan = {file: string; startLine: number; endLine: number};

/** A piece of the manuscript's text with where it came from (a section's body may span several files). */
export type SourceText = SourceSpan & {
    /** The LaTeX of these lines, comments removed. */
    text: string;
};

export type SectionCommand = "part" | "chapter" | "section" | "subsection" | "subsubsection" | "paragraph" | "subparagraph";

export type ManuscriptSection = {
    /** Unique within one manuscript: "sec-3.2", or "sec-u7" for an unnumbered one. */
    id: string;
    command: SectionCommand;
    /** Depth in the tree: 0 for the outermost sectioning level the manuscript uses. */
    depth: number;
    starred: boolean;
    /** The title as plain text (macros kept as written when they have no plain form). */
    title: string;
    /** "3.2", or "A.1" after `\appendix`; undefined for starred sections. */
    number?: string;
    /** The first `\label` right after the heading. */
    label?: string;
    heading: SourceLocation;
    /**
     * The section's own text, up to its first subsection (or its end), in
     * document order, `\input` files expanded in place.
     */
    body: SourceText[];
    children: ManuscriptSection[];
};

export type ManuscriptEquation = {
    /** "equation", "align", "eqnarray", … ; "display" for `\[…\]` and `$$…$$`. */
    environment: string;
    label?: string;
    tex: string;
    at: SourceSpan;
};

export type ManuscriptFloat = {
    kind: "figure" | "table";
    /** "figure", "figure*", "table", "deluxetable", … */
    environment: string;
    caption: string;
    label?: string;
    at: SourceSpan;
};

export type ManuscriptLabel = {name: string; at: SourceLocation};

export type ManuscriptReference = {
    /** The label referred to. */
    name: string;
    /** "ref", "eqref", "autoref", "cref", "secref"… (a user macro whose definition calls `\ref` counts too). */
    command: string;
    at: SourceLocation;
};

export type ManuscriptCitation = {key: string; command: string; at: SourceLocation};

export type BibEntry = {
    key: string;
    /** "article", "book", … in lower case. */
    type: string;
    title?: string;
    author?: string;
    year?: string;
    at: SourceLocation;
};

export type MacroDefinition = {
    /** Without the backslash. */
    name: string;
    /** `\newcommand`, `\renewcommand`, `\providecommand`, `\def`, `\DeclareMathOperator`… */
    command: string;
    parameters: number;
    /** Default of the first parameter, when it is optional. */
    optionalDefault?: string;
    /** The replacement text, as written. */
    body: string;
    at: SourceLocation;
};

/** A file the manuscript names that could not be read. */
export type MissingFile = {
    /** As written: `authors`, `lsst.bib`. */
    target: string;
    command: "input" | "include" | "subfile" | "bibliography" | "addbibresource";
    /** Where it is named. */
    from: SourceLocation;
    /** The paths that were tried. */
    tried: string[];
};

/** Something the parser could not make sense of; the rest of the manuscript is still used. */
export type ManuscriptProblem = {
    message: string;
    at?: SourceLocation;
};

export type Manuscript = {
    /** The root file (the one with `\documentclass`). */
    root: string;
    /** The root file's folder: links and labels show paths relative to it. */
    rootDirectory: string;
    /** Every source file read, in the order LaTeX reads them, root first. */
    files: {path: string; bytes: number}[];
    title?: string;
    abstract?: SourceText;
    /**
     * Body text before the first sectioning command (after `\begin{document}`, the
     * abstract and front matter excluded): a short paper may have no sections at all.
     */
    preface: SourceText[];
    sections: ManuscriptSection[];
    equations: ManuscriptEquation[];
    floats: ManuscriptFloat[];
    labels: ManuscriptLabel[];
    references: ManuscriptReference[];
    citations: ManuscriptCitation[];
    /** `.bib` files named by `\bibliography`/`\addbibresource`, found or not. */
    bibFiles: {path: string; found: boolean}[];
    bibEntries: BibEntry[];
    macros: MacroDefinition[];
    missing: MissingFile[];
    problems: ManuscriptProblem[];
};
