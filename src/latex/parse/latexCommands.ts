/**
 * The LaTeX commands and environments the manuscript model understands, in one
 * place: the scanner keeps their arguments intact, the parser attaches their
 * arguments (xparse signatures: `s` star, `o` optional, `m` mandatory), and the
 * assembler gives them meaning.
 */
import type {MacroInfoRecord} from "@unified-latex/unified-latex-types";
import type {SectionCommand} from "../Manuscript.ts";

export const SECTION_COMMANDS: ReadonlySet<string> = new Set<SectionCommand>(["part", "chapter", "section", "subsection", "subsubsection", "paragraph", "subparagraph"]);

/** LaTeX's own sectioning levels (`\part` is -1 in book-like classes, 0 in article-like ones; see `SectionNumbering`). */
export const SECTION_LEVELS: Record<SectionCommand, number> = {part: -1, chapter: 0, section: 1, subsection: 2, subsubsection: 3, paragraph: 4, subparagraph: 5};

/** Commands whose argument names labels (hyperref, cleveref, varioref, subcaption). */
export const REFERENCE_COMMANDS: ReadonlySet<string> = new Set([
    "ref", "eqref", "autoref", "Autoref", "cref", "Cref", "pageref", "nameref", "vref", "Vref",
    "cpageref", "Cpageref", "labelcref", "autopageref", "subref"
]);

/** natbib's and biblatex's citation commands; their last argument is a comma-separated key list. */
export const CITE_COMMANDS: ReadonlySet<string> = new Set([
    "cite", "citep", "citet", "citealt", "citealp", "citeauthor", "citeyear", "citeyearpar", "citenum", "nocite",
    "Citep", "Citet", "Citealt", "Citealp", "Citeauthor",
    "parencite", "Parencite", "textcite", "Textcite", "autocite", "Autocite", "footcite", "smartcite", "supercite", "fullcite"
]);

/**
 * Commands that read another file in place. `\import{dir}{file}` and its kin
 * (the import package) name a folder first: the `sub` forms relative to the
 * current file's folder, the others relative to the root's.
 */
export const INPUT_COMMANDS: ReadonlySet<string> = new Set(["input", "include", "subfile", "import", "subimport", "inputfrom", "subinputfrom", "includefrom", "subincludefrom"]);
export const RELATIVE_IMPORT_COMMANDS: ReadonlySet<string> = new Set(["subimport", "subinputfrom", "subincludefrom"]);

/** `\newcommand`-like definitions: `\newcommand*{\name}[params][default]{body}`. */
export const NEWCOMMAND_LIKE: ReadonlySet<string> = new Set(["newcommand", "renewcommand", "providecommand", "DeclareRobustCommand"]);
/** TeX's primitive definitions, read by hand: `\def\name#1#2{body}`. */
export const DEF_LIKE: ReadonlySet<string> = new Set(["def", "gdef", "edef", "xdef"]);

/**
 * Commands that are not body text: the title block and metadata (LaTeX's and
 * AASTeX's) and back matter. They are cut out of the preface and of section
 * text (their arguments are still read: a `\software{}` cites).
 */
const notBodyText: Record<string, string> = {
    title: "o m", shorttitle: "m", subtitle: "m", author: "o m", affiliation: "o m", affil: "m", altaffiliation: "m",
    altaffiltext: "m m", altaffilmark: "m", email: "o m", correspondingauthor: "m", collaboration: "m m",
    nocollaboration: "m", keywords: "m", subjectheadings: "m", received: "m", revised: "m", accepted: "m",
    published: "m", submitjournal: "m", shortauthors: "m", thanks: "m", hypersetup: "m", AuthorCollaborationLimit: "m",
    maketitle: "", showyourwork: "", appendix: "", facilities: "m", facility: "m", software: "m", bibliographystyle: "m",
    bibliography: "m", addbibresource: "o m", printbibliography: "o", printglossaries: "", makeglossaries: ""
};

/**
 * Layout and counter commands: harmless inside a section's text, but all that
 * sits between `\begin{document}` and the first heading of many papers, so
 * they are cut out of the preface only.
 */
const layout: Record<string, string> = {
    setcounter: "m m", newcounter: "m", stepcounter: "m", addtocounter: "m m", refstepcounter: "m", clearpage: "",
    newpage: "", noindent: "", tableofcontents: "", today: "", date: "m", doi: "m", vspace: "s m"
};

/** Command name → argument signature. */
export const NOT_BODY_TEXT_COMMANDS: ReadonlyMap<string, string> = new Map(Object.entries(notBodyText));
export const LAYOUT_COMMANDS: ReadonlyMap<string, string> = new Map(Object.entries(layout));

/** AASTeX 6's `\acknowledgments` command: what follows, up to the next heading, is back matter. */
export const BACK_MATTER_COMMANDS: ReadonlySet<string> = new Set(["acknowledgments", "acknowledgements"]);

/** Math environments that make one displayed equation (or a numbered group of lines). */
export const EQUATION_ENVIRONMENTS: ReadonlySet<string> = new Set(
    ["equation", "align", "eqnarray", "gather", "multline", "flalign", "alignat", "displaymath", "dmath"].flatMap((name) => [name, `${name}*`])
);

/** Floats: a caption and usually a label. */
export const FLOAT_ENVIRONMENTS: ReadonlyMap<string, "figure" | "table"> = new Map([
    ...["figure", "sidewaysfigure", "wrapfigure", "SCfigure"].flatMap((name) => [[name, "figure"], [`${name}*`, "figure"]] as const),
    ...["table", "sidewaystable", "wraptable", "deluxetable", "splitdeluxetable", "longtable"].flatMap((name) => [[name, "table"], [`${name}*`, "table"]] as const)
]);

/** Parts of a float with their own caption and label (subcaption's). */
export const SUBFLOAT_ENVIRONMENTS: ReadonlySet<string> = new Set(["subfigure", "subtable"]);

/**
 * Environments inside which a `\label` still names the enclosing section
 * (they step no counter of their own).
 */
export const NEUTRAL_ENVIRONMENTS: ReadonlySet<string> = new Set(["document", "center", "flushleft", "flushright", "quote", "quotation"]);

/** Environments whose body is not LaTeX: nothing in them is parsed. */
export const VERBATIM_ENVIRONMENTS: ReadonlySet<string> = new Set(["verbatim", "verbatim*", "Verbatim", "BVerbatim", "lstlisting", "minted", "filecontents", "filecontents*"]);

/** Commands whose argument is a URL, read verbatim (a `%` or `#` in it is not a comment or a parameter). */
export const URL_COMMANDS: ReadonlySet<string> = new Set(["url", "nolinkurl", "href"]);

/**
 * Argument signatures the parser attaches. Everything here is also kept
 * verbatim by the scanner (see `KEEP_ARGUMENTS`), except the commands that are
 * not body text, whose arguments only need their extent.
 */
export const MACRO_SIGNATURES: MacroInfoRecord = withoutPrototype([
    ...[...SECTION_COMMANDS].map((name) => [name, "s o m"]),
    ...[...REFERENCE_COMMANDS].map((name) => [name, "m"]),
    ...[...CITE_COMMANDS].map((name) => [name, "s o o m"]),
    ...[...NEWCOMMAND_LIKE].map((name) => [name, "s m o o m"]),
    ["input", "m"], ["include", "m"], ["subfile", "m"],
    ...["import", "inputfrom", "includefrom"].map((name) => [name, "m m"]),
    ...["subimport", "subinputfrom", "subincludefrom"].map((name) => [name, "s m m"]),
    ["bibliography", "m"], ["addbibresource", "o m"],
    ["DeclareMathOperator", "s m m"],
    ["label", "m"], ["caption", "o m"], ["tablecaption", "m"], ["abstract", "m"],
    ["documentclass", "o m"], ["begin", "m"], ["end", "m"], ["hyperref", "o m"],
    ...[...NOT_BODY_TEXT_COMMANDS, ...LAYOUT_COMMANDS].filter(([, signature]) => signature !== "")
].map(([name, signature]) => [name!, {signature: signature!}]));

/** Commands whose arguments the scanner hands to the parser exactly as written. */
export const KEEP_ARGUMENTS: ReadonlySet<string> = new Set([
    ...SECTION_COMMANDS, ...REFERENCE_COMMANDS, ...CITE_COMMANDS, ...INPUT_COMMANDS, ...NEWCOMMAND_LIKE, ...DEF_LIKE,
    "DeclareMathOperator", "label", "caption", "tablecaption", "title", "abstract", "documentclass", "begin", "end",
    "setcounter", "bibliography", "addbibresource", "hyperref"
]);

/** A record with no prototype: a document's `\constructor` must not find `Object.prototype.constructor`. */
function withoutPrototype<T>(entries: [string, T][]): Record<string, T> {
    return Object.assign(Object.create(null) as Record<string, T>, Object.fromEntries(entries));
}
