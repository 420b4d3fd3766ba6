/**
 * The manuscript's own macros, as LaTeX knows them at each point of the
 * document (read in document order): `\newcommand` and `\def` define,
 * `\renewcommand` replaces, `\providecommand` defines only what is undefined.
 *
 * They matter in two places:
 * - references and labels: `\secref{sec:intro}` whose definition calls
 *   `\ref{#1}` refers to "sec:intro", and celerite's `\sectlabel{x}`, defined as
 *   `\label{sect:#1}`, defines "sect:x". Definitions are followed through other
 *   user macros (`\eq` → `\Eq` → a redefined `\eqref` → `\ref{eq:#1}`);
 * - plain text of titles: a macro whose body is plain text (`\lw` → "LEGWORK") or
 *   that only wraps its argument (`\project{#1}` → `\textsf{#1}`) gets its plain form.
 */
import type {MacroDefinition} from "../Manuscript.ts";
import {REFERENCE_COMMANDS} from "../parse/latexCommands.ts";

export type CallMeaning = {kind: "label" | "reference"; names: string[]};

/** Deep enough for real chains of macros, shallow enough to stop a definition that calls itself. */
const MAX_EXPANSION_DEPTH = 8;
/** Reference commands whose argument may list several labels. */
const LIST_REFERENCES = new Set(["cref", "Cref", "labelcref", "cpageref", "Cpageref"]);
/** Formatting commands that only change how their argument looks. */
const WRAPPERS = ["textit", "textbf", "emph", "textsf", "texttt", "textrm", "textsc", "textup", "mbox", "text", "ensuremath", "mathrm"];
const WRAPPER_BODY = new RegExp(String.raw`^\{?\s*(?:\\(?:${WRAPPERS.join("|")})\s*)?\{?\s*#1\s*\}?\s*\}?$`);

export class UserMacros {
    private readonly definitions = new Map<string, MacroDefinition>();
    private readonly plainForms = new Map<string, string | null>();

    /** Records a definition in document order; returns whether it took effect. */
    public define(definition: MacroDefinition): boolean {
        if (definition.command.startsWith("\\providecommand") && this.definitions.has(definition.name))
            return false;
        this.definitions.set(definition.name, definition);
        this.plainForms.clear();
        return true;
    }

    /** What a command call means for labels and references, with its key-like arguments. */
    public meaning(name: string, args: readonly string[]): CallMeaning | undefined {
        if (this.definitions.has(name))
            return this.expand(name, args, 0);
        return builtinMeaning(name, args[0] ?? "");
    }

    private expand(name: string, args: readonly string[], depth: number): CallMeaning | undefined {
        const definition = this.definitions.get(name);
        if (definition == null || definition.parameters === 0 || depth > MAX_EXPANSION_DEPTH)
            return undefined;
        const body = definition.body.replace(/#([1-9])/g, (_, digit: string) => args[Number(digit) - 1] ?? "");
        // Commands in the body with brace arguments that hold no braces: `\ref{sec:#1}`, `\Eq{#1}`.
        for (const call of body.matchAll(/\\([A-Za-z@]+)\*?\s*(?:\[[^\]]*\]\s*)*((?:\{[^{}]*\})+)/g)) {
            const inner = call[1]!;
            const innerArgs = [...call[2]!.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1]!.trim());
            const meaning = this.definitions.has(inner) && inner !== name
                ? this.expand(inner, innerArgs, depth + 1)
                : builtinMeaning(inner, innerArgs[0] ?? "");
            if (meaning != null)
                return meaning;
        }
        return undefined;
    }

    /**
     * `text` with the manuscript's simple macros replaced by their plain form:
     * `\lw` → "LEGWORK", `\referee{Units}` → "Units". Others stay as written.
     */
    public expandPlain(text: string): string {
        if (!text.includes("\\") || this.definitions.size === 0)
            return text;
        let result = text;
        for (let pass = 0; pass < 3 && result.includes("\\"); pass++) {
            const before = result;
            result = result
                .replace(/\\([A-Za-z@]+)\s*\{([^{}]*)\}/g, (whole, name: string, argument: string) => this.isWrapper(name) ? argument : whole)
                .replace(/\\([A-Za-z@]+)(?![A-Za-z@])(\{\})?/g, (whole, name: string) => this.plainForm(name, 0) ?? whole);
            if (result === before)
                break;
        }
        return result.replace(/\s+/g, " ").trim();
    }

    private isWrapper(name: string): boolean {
        const definition = this.definitions.get(name);
        return definition != null && definition.parameters === 1 && definition.optionalDefault == null && WRAPPER_BODY.test(definition.body.trim());
    }

    /** The plain text a parameterless macro stands for, or null when it has none. */
    private plainForm(name: string, depth: number): string | null {
        if (this.plainForms.has(name))
            return this.plainForms.get(name)!;
        const definition = this.definitions.get(name);
        let form: string | null = null;
        if (definition != null && definition.parameters === 0 && depth <= MAX_EXPANSION_DEPTH) {
            this.plainForms.set(name, null); // a definition that uses itself has no plain form
            let body = definition.body
                .replace(/\\(LaTeX|TeX)(?![A-Za-z])\s*(\{\})?/g, "$1")
                .replace(/\\[ ,]|~/g, " ")
                .replace(/\\xspace(?![A-Za-z])/g, "");
            body = body.replace(/\\([A-Za-z@]+)\s*\{([^{}]*)\}/g, (whole, inner: string, argument: string) => this.isWrapper(inner) ? argument : whole);
            body = body.replace(/\\([A-Za-z@]+)(?![A-Za-z@])/g, (whole, inner: string) => this.plainForm(inner, depth + 1) ?? whole);
            form = /[\\{}$#^_%&]/.test(body) ? null : body.replace(/\s+/g, " ").trim();
        }
        this.plainForms.set(name, form);
        return form;
    }
}

function builtinMeaning(name: string, argument: string): CallMeaning | undefined {
    if (name === "label")
        return argument === "" ? undefined : {kind: "label", names: [argument]};
    if (REFERENCE_COMMANDS.has(name)) {
        const names = LIST_REFERENCES.has(name) ? argument.split(",").map((label) => label.trim()).filter((label) => label !== "") : [argument];
        return names.length === 0 || names[0] === "" ? undefined : {kind: "reference", names};
    }
    return undefined;
}
