/**
 * Links from an answer back to the manuscript: "§3.2 Photometry — photometry.tex:40"
 * opens that file at that line. In Markdown they are links with the
 * `astrosage-source:` scheme; the page turns them into buttons that ask the
 * host to open the place, and the host opens only files it may show (see
 * ChatViewProvider). Shared by the host, which writes them, and the page.
 */
const scheme = "astrosage-source:";

export type SourceTarget = {file: string; line: number};

/** The Markdown link target for a place in a source file. */
export function sourceHref(target: SourceTarget): string {
    // Encoded whole, so spaces and parentheses in paths cannot end the Markdown link.
    const encoded = encodeURIComponent(target.file).replace(/[()!'*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    return `${scheme}${encoded}#L${target.line}`;
}

/** The place a link target names, or undefined when it is not a source link. */
export function parseSourceHref(href: string): SourceTarget | undefined {
    if (!href.startsWith(scheme))
        return undefined;
    const match = /^([^#]+)#L(\d{1,9})$/.exec(href.slice(scheme.length));
    if (match == null)
        return undefined;
    try {
        const file = decodeURIComponent(match[1]!);
        const line = Number(match[2]);
        return file === "" || line < 1 ? undefined : {file, line};
    } catch {
        return undefined;
    }
}

/** A Markdown link to a source place; `text` is escaped for use as link text. */
export function sourceLink(text: string, target: SourceTarget): string {
    return `[${text.replace(/[\\[\]]/g, (c) => `\\${c}`)}](${sourceHref(target)})`;
}

/** `text` with every source link replaced by its link text. */
export function withoutSourceLinks(text: string): string {
    return text.replace(/\[((?:\\.|[^\\\]])*)\]\(astrosage-source:[^)\s]*\)/g, (_, inner: string) => inner.replace(/\\([\\[\]])/g, "$1"));
}
