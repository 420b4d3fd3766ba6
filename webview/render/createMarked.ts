/**
 * marked set up for model text: GFM, math, highlighted code, and nothing that
 * lets model text add markup, links or loads of its own.
 */
import {Marked, Renderer, type Tokens} from "marked";
import type {CodeBlockRenderer} from "./CodeBlockRenderer.ts";
import {escapeHtml} from "./escapeHtml.ts";
import {mathExtension} from "./mathExtension.ts";
import type {MathSettings} from "./renderMath.ts";
import {parseSourceHref} from "../../src/core/sourceLinks.ts";
import {allowedLinkUrl} from "./safeUrls.ts";

export function createMarked(math: MathSettings, codeBlocks: CodeBlockRenderer): Marked {
    // Links cannot nest: an image inside a link becomes text, not a second link.
    let linkDepth = 0;

    return new Marked(
        {gfm: true, breaks: false},
        {
            // Raw HTML is never markup: with no HTML tokens, `<b>` and `<script>` are text,
            // escaped like any other (as markdown-it does with `html: false`).
            tokenizer: {
                html: () => undefined,
                tag: () => undefined,
                // No reference definitions (`[x]: https://…`): one may come after the
                // `[x]` that uses it, which a streamed message has already shown as
                // text. The line stays text, its address a link of its own.
                def: () => undefined
            },
            renderer: {
                code: ({text, lang}) => codeBlocks.render(text, lang),
                // Unreachable without HTML tokens; escaped all the same should one appear.
                html: ({text}) => escapeHtml(text),
                link(token: Tokens.Link) {
                    linkDepth++;
                    const content = this.parser.parseInline(token.tokens);
                    linkDepth--;
                    // A link back to a manuscript's source: no address the browser could
                    // follow, only the place, which the host checks before opening it.
                    const source = parseSourceHref(token.href);
                    if (source != null && linkDepth === 0)
                        return `<a class="source-link" role="link" tabindex="0" data-source-file="${escapeHtml(source.file)}" data-source-line="${source.line}" title="Open ${escapeHtml(source.file)}, line ${source.line}">${content}</a>`;
                    const url = allowedLinkUrl(token.href);
                    if (url == null || linkDepth > 0)
                        return content;
                    const title = token.title == null || token.title === "" ? "" : ` title="${escapeHtml(token.title)}"`;
                    return `<a href="${escapeHtml(url)}"${title}>${content}</a>`;
                },
                // Images are never loaded: a remote image is a way to send data out. The
                // address becomes an ordinary link the user may choose to open.
                image({href, text}: Tokens.Image) {
                    const url = allowedLinkUrl(href);
                    const label = `Image: ${escapeHtml(text === "" ? href : text)}`;
                    if (url == null || linkDepth > 0)
                        return `<span class="image-link">${label}</span>`;
                    return `<a class="image-link" href="${escapeHtml(url)}" title="${escapeHtml(url)}">${label}</a>`;
                },
                // A wide table scrolls in its own box rather than widening the chat.
                table(token: Tokens.Table) {
                    return `<div class="table-scroll">${Renderer.prototype.table.call(this, token)}</div>\n`;
                }
            }
        },
        mathExtension(math)
    );
}
