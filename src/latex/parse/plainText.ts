/**
 * LaTeX as plain text, for section titles and captions: `\texttt{Raw} Image`
 * → "Raw Image", `Pach\'on` → "Pachón", `\S\ref{x}` kept. Math and commands with
 * no plain form are kept as written; the assembler may still expand the
 * manuscript's own simple macros (`expandPlainMacros`).
 */
import type * as Ast from "@unified-latex/unified-latex-types";
import {printRaw} from "@unified-latex/unified-latex-util-print-raw";

/** Commands replaced by their (last) argument's text. */
const UNWRAP = new Set([
    "textbf", "textit", "emph", "texttt", "textrm", "textsf", "textsc", "textup", "textmd", "textnormal", "textsl",
    "mbox", "text", "underline", "uline", "mathrm", "mathit", "mathbf", "boldsymbol",
    "gls", "Gls", "glspl", "Glspl", "acrshort", "acrlong", "acrfull", "ac", "acs", "acl", "acf", "acp", "acsp", "aclp", "acfp"
]);

/** Commands dropped with their one argument. */
const DROP_WITH_ARGUMENT = new Set(["label", "footnote", "thanks", "vspace", "hspace", "index", "phantom", "hphantom", "vphantom", "altaffilmark", "footnotemark", "color"]);

const SYMBOLS: Record<string, string> = {
    "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ", ",": " ", ";": " ", ":": " ",
    "\\": " ", "-": "", "/": "", "@": "", "S": "§", "P": "¶", "ldots": "…", "dots": "…", "textellipsis": "…",
    "LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "textendash": "–", "textemdash": "—", "textquoteright": "’",
    "textquoteleft": "‘", "ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ",
    "OE": "Œ", "l": "ł", "L": "Ł", "i": "ı", "newline": " ", "linebreak": " ", "quad": " ", "qquad": " ",
    "noindent": "", "normalfont": "", "centering": "", "xspace": "", "relax": "", "bf": "", "it": "", "rm": "",
    "tt": "", "sc": "", "em": "", "small": "", "footnotesize": "", "large": "", "Large": "", "bfseries": "",
    "itshape": "", "ttfamily": "", "scshape": "", "smallskip": "", "medskip": "", "bigskip": "", "ignorespaces": "", "protect": ""
};

/** Accent commands and the combining mark each puts on its letter. */
const ACCENTS: Record<string, string> = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", "\"": "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307",
    "c": "\u0327", "v": "\u030C", "u": "\u0306", "H": "\u030B", "k": "\u0328", "r": "\u030A", "d": "\u0323", "b": "\u0331"
};

type Piece = {text: string; raw: boolean};

export function plainText(nodes: Ast.Node[]): string {
    const pieces: Piece[] = [];
    appendNodes(nodes, pieces);
    // Ligatures span nodes (`--` is two strings to the parser), so plain runs are joined first.
    let result = "";
    let plain = "";
    for (const piece of pieces) {
        if (piece.raw) {
            result += typographic(plain) + piece.text;
            plain = "";
        } else
            plain += piece.text;
    }
    result += typographic(plain);
    return result.replace(/\s+/g, " ").trim().normalize("NFC");
}

/** TeX's ligatures of plain text (`--`, ``` `` ```), never applied inside math. */
function typographic(text: string): string {
    return text.replace(/---/g, "—").replace(/--/g, "–").replace(/``/g, "“").replace(/''/g, "”").replace(/~/g, " ");
}

function appendNodes(nodes: Ast.Node[], pieces: Piece[]): void {
    for (let index = 0; index < nodes.length; index++) {
        const node = nodes[index]!;
        switch (node.type) {
            case "string":
                pieces.push({text: node.content, raw: false});
                break;
            case "whitespace":
            case "parbreak":
                pieces.push({text: " ", raw: false});
                break;
            case "group":
                appendNodes(node.content, pieces);
                break;
            case "inlinemath":
            case "displaymath":
            case "verb":
            case "verbatim":
            case "environment":
            case "mathenv":
                pieces.push({text: printRaw(node), raw: true});
                break;
            case "macro":
                index = appendMacro(node, nodes, index, pieces);
                break;
            default:
                break;
        }
    }
}

/** Appends a command's text; returns the index of the last sibling it used. */
function appendMacro(node: Ast.Macro, siblings: Ast.Node[], index: number, pieces: Piece[]): number {
    const name = node.content;
    const attached = (node.args ?? []).filter((arg) => arg.openMark === "{");
    if (Object.hasOwn(ACCENTS, name)) {
        const next = siblings[index + 1];
        if (next?.type === "string" && next.content.length > 0) {
            pieces.push({text: next.content[0]! + ACCENTS[name] + next.content.slice(1), raw: false});
            return index + 1;
        }
        if (next?.type === "group") {
            pieces.push({text: plainText(next.content) + ACCENTS[name], raw: false});
            return index + 1;
        }
    }
    if (Object.hasOwn(SYMBOLS, name) && attached.length === 0) {
        pieces.push({text: SYMBOLS[name]!, raw: false});
        return index;
    }
    const following = groupsAfter(siblings, index);
    if (name === "texorpdfstring") {
        // The second argument is the text meant for plain contexts (PDF bookmarks).
        const [tex, plain] = following.groups;
        if (plain != null)
            pieces.push({text: plainText(plain.content), raw: false});
        else if (tex != null)
            appendNodes(tex.content, pieces);
        return following.groups.length > 0 ? following.lastIndex(following.groups.length) : index;
    }
    if (DROP_WITH_ARGUMENT.has(name))
        return attached.length > 0 || following.groups.length === 0 ? index : following.lastIndex(1);
    if (UNWRAP.has(name)) {
        if (attached.length > 0) {
            appendNodes(attached.at(-1)!.content, pieces);
            return index;
        }
        if (following.groups.length > 0) {
            appendNodes(following.groups[0]!.content, pieces);
            return following.lastIndex(1);
        }
    }
    // No plain form: as written, with the arguments that follow it.
    let raw = printRaw(node);
    for (const group of following.groups)
        raw += printRaw(group);
    pieces.push({text: raw, raw: true});
    return following.groups.length > 0 ? following.lastIndex(following.groups.length) : index;
}

/** Brace groups right after `siblings[index]` (an optional `*` and blanks between them allowed). */
function groupsAfter(siblings: Ast.Node[], index: number): {groups: Ast.Group[]; lastIndex: (count: number) => number} {
    const groups: Ast.Group[] = [];
    const indexes: number[] = [];
    let at = index + 1;
    if (siblings[at]?.type === "string" && (siblings[at] as Ast.String).content === "*")
        at++;
    while (at < siblings.length) {
        const node = siblings[at]!;
        if (node.type === "group") {
            groups.push(node);
            indexes.push(at);
        } else if (node.type !== "whitespace")
            break;
        at++;
    }
    return {groups, lastIndex: (count) => indexes[count - 1] ?? index};
}
