/**
 * Which link targets model text may carry. The page sends a clicked link to
 * the extension host, which opens it with `openExternal`; only web and mail
 * addresses qualify. `javascript:`, `command:`, `vscode:`, `file:`, `data:` and
 * relative paths are not links here.
 */
const allowedProtocols = new Set(["http:", "https:", "mailto:"]);

/** The URL to link to, normalized, or undefined when `href` must stay text. */
export function allowedLinkUrl(href: string): string | undefined {
    let url: URL;
    try {
        url = new URL(href.trim());
    } catch {
        // Not an absolute URL (relative, or malformed): text, not a link.
        return undefined;
    }
    return allowedProtocols.has(url.protocol) ? url.href : undefined;
}
