/**
 * The last gate before rendered model text reaches the page: DOMPurify over
 * the HTML that marked, KaTeX and highlight.js wrote. Raw HTML in model text is
 * already escaped before this point; this catches whatever a bug or a library
 * might still let through.
 */
import createDOMPurify, {type Config, type DOMPurify} from "dompurify";
import type {MathOutput} from "./renderMath.ts";

/** Attributes a browser follows or loads as a URL. */
const urlAttributes = ["href", "xlink:href", "src", "action", "formaction", "background", "poster", "srcset"];
const linkPattern = /^(?:https?|mailto):/i;

export class HtmlSanitizer {
    private readonly purify: DOMPurify;
    private readonly config: Config;

    /**
     * @param window The window whose DOM parses the HTML (the page's, or jsdom's in Node tests).
     * @param mathOutput KaTeX's output: with MathML only, no `style` attribute is needed at all.
     */
    public constructor(window: Window, mathOutput: MathOutput) {
        this.purify = createDOMPurify(window as Window & typeof globalThis);
        // Without a DOM, DOMPurify returns its input unchanged: refuse rather than pass HTML through.
        if (!this.purify.isSupported)
            throw new Error("The HTML sanitizer needs a DOM (a window with document.implementation)");
        // DOMPurify checks every attribute that may hold a URL against this pattern: its
        // default, less the schemes we never link to (ftp, tel, sms, …). Values without a
        // scheme pass it (a `type`, a path's `d`); the hook below then keeps only
        // absolute web and mail addresses where a URL is followed.
        this.purify.addHook("afterSanitizeAttributes", (node) => {
            for (const name of urlAttributes) {
                const value = node.getAttribute(name);
                if (value != null && !linkPattern.test(value))
                    node.removeAttribute(name);
            }
        });
        this.config = {
            ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
            // KaTeX's MathML wraps formulas in <semantics>; the TeX <annotation> beside it is
            // dropped with its text (DOMPurify disallows both, and the text would show).
            ADD_TAGS: ["semantics"],
            ADD_FORBID_CONTENTS: ["annotation", "annotation-xml"],
            FORBID_TAGS: ["style", "form", "textarea", "select", "img", "video", "audio", "iframe", "object", "embed"],
            // KaTeX's HTML output positions glyphs with inline styles; its MathML output needs none.
            FORBID_ATTR: mathOutput === "mathml" ? ["style", "id", "name"] : ["id", "name"]
        };
    }

    /** Sanitized HTML as a fragment of this window's document, ready to insert. */
    public toFragment(html: string): DocumentFragment {
        return this.purify.sanitize(html, {...this.config, RETURN_DOM_FRAGMENT: true});
    }

    /** Sanitized HTML as a string. */
    public toHtml(html: string): string {
        return this.purify.sanitize(html, this.config);
    }
}
