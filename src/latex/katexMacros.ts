/**
 * The manuscript's macros in the form KaTeX's `macros` option takes, so the
 * model's answers can use the paper's notation: `\newcommand{\msun}{M_\odot}`
 * → `{"\\msun": "M_\\odot"}`, parameters as `#1`.
 *
 * Left out: macros KaTeX cannot expand the way LaTeX does (an optional
 * argument, more parameters declared than used), text-mode macros (a `$` in the
 * body, `\url`, `\hyperref`, references, citations, `\xspace`-style spacing),
 * internal `@` macros, and every macro that uses one left out. A later
 * definition replaces an earlier one; `\providecommand` never does.
 */
import type {Manuscript, MacroDefinition} from "./Manuscript.ts";

/** Commands KaTeX does not have, or that make no sense in math. */
const NOT_IN_KATEX = new Set([
    "url", "href", "hyperref", "nolinkurl", "ref", "eqref", "autoref", "Autoref", "cref", "Cref", "pageref", "nameref",
    "label", "footnote", "footnotemark", "index", "input", "include", "includegraphics", "par", "vspace", "vskip",
    "section", "subsection", "subsubsection", "paragraph", "chapter", "caption", "protect", "ifmmode", "ifx", "fi",
    "else", "textsuperscript", "textsubscript", "newline", "linebreak", "xspace", "unskip", "ignorespaces",
    "addcontentsline", "hyperlink", "hypertarget", "gls", "Gls", "glspl", "acrshort", "acrlong", "acrfull",
    "arabic", "roman", "Roman", "alph", "Alph", "value", "stepcounter", "setcounter"
]);
const CITATION = /^(no)?cite|^[Cc]ite|cite$/;

export function katexMacros(manuscript: Manuscript): Record<string, string> {
    const expansions = new Map<string, string>();
    const unusable = new Set<string>();
    const defined = new Set<string>();
    for (const definition of manuscript.macros) {
        if (definition.command.startsWith("\\providecommand") && defined.has(definition.name))
            continue;
        defined.add(definition.name);
        const expansion = katexExpansion(definition);
        if (expansion == null) {
            expansions.delete(definition.name);
            unusable.add(definition.name);
        } else {
            expansions.set(definition.name, expansion);
            unusable.delete(definition.name);
        }
    }
    // A macro that uses a left-out macro is left out too, through any chain.
    for (let changed = true; changed;) {
        changed = false;
        for (const [name, expansion] of expansions) {
            if (commandsIn(expansion).some((command) => unusable.has(command))) {
                expansions.delete(name);
                unusable.add(name);
                changed = true;
            }
        }
    }
    return Object.fromEntries([...expansions].map(([name, expansion]) => [`\\${name}`, expansion]));
}

/** The expansion KaTeX should use for a definition, or undefined when it cannot use it. */
function katexExpansion(definition: MacroDefinition): string | undefined {
    if (definition.optionalDefault != null || definition.name.includes("@"))
        return undefined;
    let body = definition.body;
    if (definition.command.startsWith("\\DeclareMathOperator"))
        body = `\\operatorname${definition.command.endsWith("*") ? "*" : ""}{${body}}`;
    // \ensuremath only matters in text; KaTeX is always in math. \mbox is KaTeX's \text.
    body = body.replace(/\\ensuremath(?![A-Za-z@])\s*/g, "").replace(/\\mbox(?![A-Za-z@])/g, "\\text");
    if (body.includes("@") || /(^|[^\\])\$/.test(body) || /\n\s*\n/.test(body))
        return undefined;
    if (commandsIn(body).some((command) => NOT_IN_KATEX.has(command) || CITATION.test(command)))
        return undefined;
    const highest = Math.max(0, ...[...body.matchAll(/#([1-9])/g)].map((match) => Number(match[1])));
    // KaTeX takes as many arguments as the highest #n it sees.
    if (highest !== definition.parameters)
        return undefined;
    return body.trim();
}

/** The names of the control words in `tex`. */
function commandsIn(tex: string): string[] {
    return [...tex.matchAll(/\\([A-Za-z]+)/g)].map((match) => match[1]!);
}
