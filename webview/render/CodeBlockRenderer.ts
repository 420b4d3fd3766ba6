/**
 * Code blocks: highlighted by highlight.js in the languages astronomers write,
 * each in a frame whose Copy and Insert buttons the page handles (by event
 * delegation on `data-action`: the HTML carries no handlers).
 */
import hljs from "highlight.js/lib/core";
import type {HLJSApi, LanguageFn} from "highlight.js";
import bash from "highlight.js/lib/languages/bash";
import c from "highlight.js/lib/languages/c";
import cpp from "highlight.js/lib/languages/cpp";
import fortran from "highlight.js/lib/languages/fortran";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import julia from "highlight.js/lib/languages/julia";
import latex from "highlight.js/lib/languages/latex";
import plaintext from "highlight.js/lib/languages/plaintext";
import python from "highlight.js/lib/languages/python";
import r from "highlight.js/lib/languages/r";
import shellSession from "highlight.js/lib/languages/shell";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import yaml from "highlight.js/lib/languages/yaml";
import {escapeHtml} from "./escapeHtml.ts";

/** The languages highlighted, by the name `data-lang` and the `language-…` class carry. */
const languages: Record<string, LanguageFn> = {
    python, c, cpp, fortran, bash, console: shellSession, json, yaml, javascript, typescript, latex, julia, r, sql, plaintext
};

/**
 * Names models write that highlight.js does not know as aliases. "shell" is a
 * script far more often than a terminal session, which highlight.js calls "shell".
 */
const extraAliases: Record<string, string[]> = {
    python: ["python3", "py3"],
    bash: ["shell", "shellscript", "csh", "tcsh", "ksh"],
    fortran: ["f", "f77", "f03", "f08", "for"],
    julia: ["jl"],
    r: ["rscript"],
    plaintext: ["plain", "none"]
};

export class CodeBlockRenderer {
    private readonly highlighter: HLJSApi;
    private readonly keyByAlias = new Map<string, string>();

    public constructor() {
        // An instance of our own: highlight.js's default export is shared by the whole page.
        this.highlighter = hljs.newInstance();
        for (const [key, language] of Object.entries(languages)) {
            this.highlighter.registerLanguage(key, language);
            const aliases = [key, ...(this.highlighter.getLanguage(key)?.aliases ?? []), ...(extraAliases[key] ?? [])];
            for (const alias of aliases)
                this.keyByAlias.set(alias.toLowerCase(), key);
        }
    }

    /**
     * A code block's HTML. `info` is the fence's info string (its first word is
     * the language); an unknown language is shown plain.
     */
    public render(code: string, info: string | undefined): string {
        const stated = (info ?? "").trim().split(/\s/, 1)[0].toLowerCase();
        const key = this.keyByAlias.get(stated);
        const label = key ?? (/^[\w+#.-]{1,32}$/.test(stated) ? stated : "plaintext");
        const language = key ?? "plaintext";
        const body = language === "plaintext" ? escapeHtml(code) : this.highlighter.highlight(code, {language, ignoreIllegals: true}).value;
        return `<div class="code-block" data-lang="${escapeHtml(label)}">`
            + "<div class=\"code-actions\">"
            + "<button type=\"button\" class=\"code-copy\" data-action=\"copy\" title=\"Copy code\">Copy</button>"
            + "<button type=\"button\" class=\"code-insert\" data-action=\"insert\" title=\"Insert code at the cursor\">Insert</button>"
            + "</div>"
            + `<pre><code class="hljs language-${language}">${body}</code></pre>`
            + "</div>\n";
    }
}
