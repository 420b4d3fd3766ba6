/**
 * A marked extension for math: a block tokenizer for display math on its own
 * lines and an inline tokenizer for math inside text, both following the rules
 * in mathSyntax.ts, rendered by KaTeX.
 *
 * Our own rather than marked-katex-extension: that one closes `$` only before a
 * space or punctuation and knows neither `\(…\)`, `\[…\]` nor environments.
 */
import {Tokenizer, type MarkedExtension, type Tokens} from "marked";
import {findBlockMath, findInlineMathStart, findInlineMathRanges, matchBlockMath, matchInlineMath, type MathMatch} from "./mathSyntax.ts";
import {renderMath, type MathSettings} from "./renderMath.ts";

type MathToken = Tokens.Generic & {math: MathMatch};

export function mathExtension(settings: MathSettings): MarkedExtension {
    const masks = new MathMasks();
    return {
        tokenizer: {
            // A setext heading's text is a paragraph, which block math ends: marked
            // cuts a paragraph where block math starts, but not a heading's text.
            lheading(src) {
                const mathStart = findBlockMath(src);
                return Tokenizer.prototype.lheading.call(this, mathStart < 0 ? src : src.slice(0, mathStart));
            },
            // Math binds before emphasis and strikethrough, as code spans do: marked
            // looks for the closing `*`, `_` or `~` in a masked copy of the text,
            // which hides code spans but not math ("*see $a*b$*" is one emphasis).
            // (marked asks at every position; only a delimiter is worth the scan.)
            emStrong(src, maskedSrc, prevChar) {
                const masked = src[0] === "*" || src[0] === "_" ? masks.get(src, maskedSrc) : maskedSrc;
                return Tokenizer.prototype.emStrong.call(this, src, masked, prevChar);
            },
            del(src, maskedSrc, prevChar) {
                const masked = src[0] === "~" ? masks.get(src, maskedSrc) : maskedSrc;
                return Tokenizer.prototype.del.call(this, src, masked, prevChar);
            }
        },
        extensions: [
            {
                name: "blockMath",
                level: "block",
                // marked cuts a paragraph where block math starts. Only where it does: cut
                // at a line that turns out not to be math ("$$x$$ y"), marked joins the
                // paragraph up again, unless that line begins a setext heading.
                start: findBlockMath,
                tokenizer(src): MathToken | undefined {
                    const found = matchBlockMath(src);
                    return found == null ? undefined : {type: "blockMath", raw: found.match.raw, math: found.match};
                },
                // A wide equation scrolls in its own box rather than widening the chat.
                renderer: (token) => `<div class="math-display">${renderMath((token as MathToken).math, settings)}</div>\n`
            },
            {
                name: "inlineMath",
                level: "inline",
                start: findInlineMathStart,
                tokenizer(src): MathToken | undefined {
                    const math = matchInlineMath(src);
                    return math == null ? undefined : {type: "inlineMath", raw: math.raw, math};
                },
                renderer(token) {
                    const {math} = token as MathToken;
                    const html = renderMath(math, settings);
                    return math.display ? `<span class="math-display">${html}</span>` : html;
                }
            }
        ]
    };
}

/**
 * marked's masked copy of an inline text (`maskedSrc`, of which `src` is the
 * rest) with the emphasis and strikethrough delimiters inside the math ahead
 * replaced by `+`, as marked masks escaped ones.
 */
class MathMasks {
    /**
     * The last text masked, and from where: marked asks at each delimiter of a
     * text in turn, and masking it again each time costs the whole text.
     */
    private last: {maskedSrc: string; offset: number; masked: string} | undefined;

    public get(src: string, maskedSrc: string): string {
        const offset = maskedSrc.length - src.length;
        // Math found from an earlier point of the same text is the math ahead of this one.
        if (this.last != null && this.last.maskedSrc === maskedSrc && this.last.offset <= offset)
            return this.last.masked;
        const pieces: string[] = [];
        let copied = 0;
        for (const [start, end] of findInlineMathRanges(src)) {
            pieces.push(maskedSrc.slice(copied, offset + start), maskedSrc.slice(offset + start, offset + end).replace(/[*_~]/g, "+"));
            copied = offset + end;
        }
        pieces.push(maskedSrc.slice(copied));
        this.last = {maskedSrc, offset, masked: pieces.join("")};
        return this.last.masked;
    }
}
