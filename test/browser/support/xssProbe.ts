/**
 * Page-side half of the XSS test (bundled into the test page): renders model
 * output through the renderer's two paths into the page, then lists whatever
 * in the DOM could run script, load something or clobber the page.
 */
import {MarkdownRenderer, StreamingRenderer, type RenderOptions} from "../../../webview/render/index.ts";

/** How a payload reaches the page: `renderMarkdown`'s string set as innerHTML, or StreamingRenderer's fragments. */
export type RenderPath = "innerHTML" | "stream";

/** Elements the renderer never makes that could run, load, embed or submit something. */
const dangerousElements = new Set([
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "img", "image", "picture", "source",
    "video", "audio", "track", "link", "meta", "base", "style", "form", "textarea", "select", "template",
    "noscript", "noembed", "portal", "use", "foreignobject", "animate", "set", "animatetransform", "animatemotion",
    "feimage", "annotation-xml", "maction", "xmp", "plaintext", "marquee", "isindex", "keygen"
]);

/** Attributes a browser follows or loads as a URL. */
const urlAttributes = ["href", "xlink:href", "src", "action", "formaction", "background", "poster", "srcset", "data", "codebase", "dynsrc", "lowsrc"];

/** What could be wrong with one element, as short descriptions. */
function problemsOf(element: Element): string[] {
    const problems: string[] = [];
    const name = element.localName.toLowerCase();
    if (dangerousElements.has(name))
        problems.push(`<${name}>`);
    if (name === "input" && !(element.getAttribute("type") === "checkbox" && element.hasAttribute("disabled")))
        problems.push("an input that is not a disabled checkbox");
    for (const attribute of [...element.attributes]) {
        const attributeName = attribute.name.toLowerCase();
        if (attributeName.startsWith("on"))
            problems.push(`${attributeName}= on <${name}>`);
        if (attributeName === "id" || attributeName === "name" || attributeName === "form" || attributeName === "is")
            problems.push(`${attributeName}= on <${name}>`);
        if (attributeName === "style" && element.closest(".katex") == null)
            problems.push(`style= outside KaTeX on <${name}>`);
        if (urlAttributes.includes(attributeName)) {
            const linkOk = name === "a" && attributeName === "href" && /^(?:https?|mailto):/i.test(attribute.value);
            if (!linkOk)
                problems.push(`${attributeName}="${attribute.value.slice(0, 60)}" on <${name}>`);
        }
    }
    return problems;
}

export class XssProbe {
    private readonly root: HTMLElement;
    private readonly renderer: MarkdownRenderer;

    public constructor(root: HTMLElement, options: RenderOptions = {}) {
        this.root = root;
        this.renderer = new MarkdownRenderer(options);
    }

    /** Renders each markdown text into its own `.markdown` box, the stream path in chunks of `chunkSize`. */
    public render(markdowns: readonly string[], path: RenderPath, chunkSize = 13): void {
        for (const markdown of markdowns) {
            const box = document.createElement("div");
            box.className = "markdown";
            this.root.append(box);
            if (path === "innerHTML")
                box.innerHTML = this.renderer.render(markdown);
            else {
                const streaming = new StreamingRenderer(box, {renderer: this.renderer, scheduleFrame: (update) => update()});
                for (let i = 0; i < markdown.length; i += chunkSize)
                    streaming.append(markdown.slice(i, i + chunkSize));
                streaming.finish();
            }
        }
    }

    /** What the rendered boxes hold that they must not, by box index. */
    public findProblems(): {index: number; problems: string[]}[] {
        return [...this.root.children].flatMap((box, index) => {
            const problems = [...box.querySelectorAll("*")].flatMap(problemsOf);
            return problems.length === 0 ? [] : [{index, problems}];
        });
    }

    public clear(): void {
        this.root.replaceChildren();
    }
}
