/**
 * The XSS payloads of test/fixtures/xss/, read as model output: single
 * payloads (one line or one fixture entry each) and whole markdown documents.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {projectRoot} from "./renderPage.ts";

const fixtures = path.join(projectRoot, "test/fixtures/xss");

export type Payload = {source: string; text: string};

/** DOMPurify's regression payloads. */
export function dompurifyPayloads(): Payload[] {
    const entries = JSON.parse(fs.readFileSync(path.join(fixtures, "dompurify/expect.json"), "utf8")) as {title: string; payload: string}[];
    return entries.map((entry) => ({source: `dompurify: ${entry.title}`, text: entry.payload}));
}

/** The markdown inputs of markdown-it's xss.txt (blocks between lines of a lone "."). */
export function markdownItPayloads(): Payload[] {
    const lines = fs.readFileSync(path.join(fixtures, "markdown-it-xss/test/fixtures/markdown-it/xss.txt"), "utf8").split("\n");
    const payloads: Payload[] = [];
    // Outside a case, a "." opens its input; the next "." ends the input and opens the expected HTML; the next ends the case.
    let part: "outside" | "input" | "expected" = "outside";
    let input: string[] = [];
    for (const line of lines) {
        if (line !== ".") {
            if (part === "input")
                input.push(line);
            continue;
        }
        if (part === "input")
            payloads.push({source: `markdown-it xss.txt #${payloads.length + 1}`, text: input.join("\n")});
        part = part === "outside" ? "input" : part === "input" ? "expected" : "outside";
        input = [];
    }
    return payloads;
}

/** Every line of PayloadsAllTheThings' Intruders lists. */
export function intruderPayloads(): Payload[] {
    const folder = path.join(fixtures, "payloadsallthethings/xss-injection/Intruders");
    return fs.readdirSync(folder).sort().flatMap((file) =>
        fs.readFileSync(path.join(folder, file), "utf8").split(/\r?\n/)
            .filter((line) => line.trim() !== "")
            .map((line, index) => ({source: `${file}:${index + 1}`, text: line})));
}

/** PayloadsAllTheThings' write-ups: markdown documents full of payloads, in and out of code blocks. */
export function writeUpDocuments(): Payload[] {
    const folder = path.join(fixtures, "payloadsallthethings/xss-injection");
    return fs.readdirSync(folder).filter((file) => file.endsWith(".md")).sort()
        .map((file) => ({source: file, text: fs.readFileSync(path.join(folder, file), "utf8")}));
}

/**
 * Payloads aimed at this renderer: fence info strings, KaTeX commands that
 * link, load or style, link schemes the extension must never open, and images.
 */
export const rendererPayloads: Payload[] = [
    "```\" onmouseover=\"alert(1)\nx\n```",
    "```<img src=x onerror=alert(1)>\nx\n```",
    "``` python\" data-x=\"<script>alert(1)</script>\nx\n```",
    "$\\href{javascript:alert(1)}{click}$",
    "$\\url{javascript:alert(1)}$",
    "$\\href{https://evil.test/x}{click}$",
    "$\\htmlStyle{background:url(https://evil.test/x)}{x}$",
    "$\\htmlClass{x\" onclick=\"alert(1)}{y}$",
    "$\\htmlId{x}{y}$ $\\htmlData{onclick=alert(1)}{x}$",
    "$\\includegraphics{https://evil.test/x.png}$",
    "$\\color{red;background:url(https://evil.test/x)}{x}$",
    "$\\textcolor{#f00\" onmouseover=\"alert(1)}{x}$",
    "$\\text{<img src=x onerror=alert(1)>}$",
    "$$\n\\text{</span><script>alert(1)</script>}\n$$",
    "\\begin{equation}\\href{javascript:alert(1)}{x}\\end{equation}",
    "$\\def\\x{\\x}\\x$",
    "$\\rule{100000em}{100000em}$",
    "[x](javascript:alert(1)) [x](JaVaScRiPt:alert(1)) [x]( javascript:alert(1)) [x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1)) [x](javascript&#58;alert(1)) [x](%6a%61vascript:alert(1))",
    "[x](command:workbench.action.terminal.new) [x](vscode://file/etc/passwd) [x](file:///etc/passwd)",
    "[x](data:text/html,<script>alert(1)</script>) [x](vbscript:msgbox(1)) <javascript:alert(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x](https://evil.test \"t\\\" onmouseover=\\\"alert(1)\")",
    "![pixel](https://evil.test/pixel.png) ![x](data:image/svg+xml,<svg onload=alert(1)>) ![x](//evil.test/a.png)",
    "[![badge](https://evil.test/a.png)](https://evil.test/b)",
    "| <img src=x onerror=alert(1)> |\n|---|\n| <svg onload=alert(1)> |",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>\n\n*markdown*\n\n</details>",
    "- [x] <input onfocus=alert(1) autofocus>",
    "www.evil.test/<script>alert(1)</script> https://evil.test/\"onmouseover=\"alert(1)"
].map((text, index) => ({source: `renderer payload #${index + 1}`, text}));

/** Markdown around a payload: the places model text could carry it to. */
export function inContexts(payload: string): string[] {
    const line = payload.replace(/\n/g, " ");
    return [
        payload,
        `[link](${line})`,
        `[${line}](https://example.org)`,
        `![${line}](${line})`,
        `Inline $${line}$ and \\(${line}\\).`,
        `$$\n${payload}\n$$`,
        `| a |\n|---|\n| ${line.replace(/\|/g, "\\|")} |`,
        `\`\`\`${line.replace(/`/g, "")}\ncode\n\`\`\``,
        `> - **${line}**`
    ];
}
