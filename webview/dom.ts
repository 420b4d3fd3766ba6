/** Small DOM helpers for the chat page. */

export function byId<T extends HTMLElement>(id: string): T {
    const element = document.getElementById(id);
    if (element == null)
        throw new Error(`The chat page has no #${id}`);
    return element as T;
}

/** Creates an element with a class and, optionally, text (always as text, never HTML). */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
    const created = document.createElement(tag);
    if (className != null)
        created.className = className;
    if (text != null)
        created.textContent = text;
    return created;
}

/** A codicon button from @vscode-elements (an icon-only toolbar button with an accessible label). */
export function iconButton(icon: string, label: string, action: string): HTMLElement {
    const button = document.createElement("vscode-toolbar-button");
    button.setAttribute("icon", icon);
    button.setAttribute("label", label);
    button.setAttribute("title", label);
    button.dataset.action = action;
    return button;
}
