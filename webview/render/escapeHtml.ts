const replacements: Record<string, string> = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"};

/** Escapes text for use in HTML, in element content and in quoted attribute values alike. */
export function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, (char) => replacements[char]);
}
