/**
 * The `--vscode-*` variables a webview receives, with the values of VS Code's
 * Dark Modern, Light Modern and Dark High Contrast themes, so the test page
 * looks as the chat view does. Only the variables the page's CSS uses.
 */
export type ThemeName = "dark" | "light" | "highContrast";

const shared = {
    "font-family": "system-ui, \"Ubuntu\", \"Droid Sans\", sans-serif",
    "font-size": "13px",
    "editor-font-family": "\"Droid Sans Mono\", \"DejaVu Sans Mono\", monospace",
    "editor-font-size": "13px"
};

const themes: Record<ThemeName, {bodyClass: string; colors: Record<string, string>}> = {
    dark: {
        bodyClass: "vscode-dark",
        colors: {
            "foreground": "#cccccc",
            "editor-foreground": "#cccccc",
            "sideBar-background": "#181818",
            "descriptionForeground": "#9d9d9d",
            "errorForeground": "#f85149",
            "focusBorder": "#0078d4",
            "textLink-foreground": "#4daafc",
            "textLink-activeForeground": "#4daafc",
            "textCodeBlock-background": "#2b2b2b",
            "textPreformat-foreground": "#d0d0d0",
            "textPreformat-background": "#3c3c3c",
            "textBlockQuote-background": "#2b2b2b",
            "textBlockQuote-border": "#616161",
            "textSeparator-foreground": "#ffffff2e",
            "widget-border": "#313131",
            "panel-border": "#2b2b2b",
            "toolbar-hoverBackground": "#5a5d5e50",
            "debugTokenExpression-name": "#c586c0",
            "debugTokenExpression-string": "#ce9178",
            "debugTokenExpression-number": "#b5cea8",
            "debugTokenExpression-boolean": "#4e94ce",
            "symbolIcon-functionForeground": "#b180d7",
            "symbolIcon-classForeground": "#ee9d28",
            "symbolIcon-variableForeground": "#75beff",
            "gitDecoration-addedResourceForeground": "#81b88b",
            "gitDecoration-deletedResourceForeground": "#c74e39"
        }
    },
    light: {
        bodyClass: "vscode-light",
        colors: {
            "foreground": "#3b3b3b",
            "editor-foreground": "#3b3b3b",
            "sideBar-background": "#f8f8f8",
            "descriptionForeground": "#717171",
            "errorForeground": "#e51400",
            "focusBorder": "#005fb8",
            "textLink-foreground": "#005fb8",
            "textLink-activeForeground": "#005fb8",
            "textCodeBlock-background": "#ececec",
            "textPreformat-foreground": "#3b3b3b",
            "textPreformat-background": "#0000001f",
            "textBlockQuote-background": "#f2f2f2",
            "textBlockQuote-border": "#e5e5e5",
            "textSeparator-foreground": "#0000002e",
            "widget-border": "#e5e5e5",
            "panel-border": "#e5e5e5",
            "toolbar-hoverBackground": "#b8b8b850",
            "debugTokenExpression-name": "#9b46b0",
            "debugTokenExpression-string": "#a31515",
            "debugTokenExpression-number": "#098658",
            "debugTokenExpression-boolean": "#0000ff",
            "symbolIcon-functionForeground": "#652d90",
            "symbolIcon-classForeground": "#d67e00",
            "symbolIcon-variableForeground": "#007acc",
            "gitDecoration-addedResourceForeground": "#587c0c",
            "gitDecoration-deletedResourceForeground": "#ad0707"
        }
    },
    highContrast: {
        bodyClass: "vscode-high-contrast",
        colors: {
            "foreground": "#ffffff",
            "editor-foreground": "#ffffff",
            "sideBar-background": "#000000",
            "descriptionForeground": "#ffffffb3",
            "errorForeground": "#f48771",
            "focusBorder": "#f38518",
            "contrastBorder": "#6fc3df",
            "contrastActiveBorder": "#f38518",
            "textLink-foreground": "#21a6ff",
            "textLink-activeForeground": "#21a6ff",
            "textCodeBlock-background": "#000000",
            "textPreformat-foreground": "#ffffff",
            "textPreformat-background": "#ffffff1a",
            "textBlockQuote-background": "#000000",
            "textBlockQuote-border": "#ffffff",
            "textSeparator-foreground": "#ffffff",
            "panel-border": "#6fc3df",
            "debugTokenExpression-name": "#ffffff",
            "debugTokenExpression-string": "#f48771",
            "debugTokenExpression-number": "#89d185",
            "debugTokenExpression-boolean": "#75bdfe",
            "symbolIcon-functionForeground": "#b180d7",
            "symbolIcon-classForeground": "#ee9d28",
            "symbolIcon-variableForeground": "#75beff",
            "gitDecoration-addedResourceForeground": "#a1e3ad",
            "gitDecoration-deletedResourceForeground": "#c74e39"
        }
    }
};

/** A stylesheet setting the theme's variables on `html`, as VS Code does, plus a sidebar-like body. */
export function themeStylesheet(name: ThemeName): string {
    const variables = Object.entries({...shared, ...themes[name].colors})
        .map(([key, value]) => `    --vscode-${key}: ${value};`)
        .join("\n");
    return `html {\n${variables}\n}\nbody {\n    margin: 0;\n    padding: 8px 12px;\n    font-family: var(--vscode-font-family);\n    font-size: var(--vscode-font-size);\n    color: var(--vscode-foreground);\n    background: var(--vscode-sideBar-background);\n}\n`;
}

/** The class VS Code puts on a webview's body for the theme's kind. */
export function themeBodyClass(name: ThemeName): string {
    return themes[name].bodyClass;
}
