// Bundles the extension's three programs with esbuild:
//  - dist/extension.js  the extension host code (CommonJS, as VS Code loads it);
//  - dist/engine.mjs    the engine process (ESM, because node-llama-cpp is ESM-only
//                       and is loaded there with a dynamic import());
//  - dist/webview.js    the chat page (browser);
//  - dist/latexWorker.js the LaTeX worker thread (CommonJS): parses manuscripts
//                       off the extension host's main thread.
// node-llama-cpp stays external: it carries native binaries and must be loaded
// from node_modules, and only ever by the engine process.
import * as esbuild from "esbuild";
import {cp, mkdir} from "node:fs/promises";

const production = process.argv.includes("--production");
const watch = process.argv.includes("--watch");

const common = {
    bundle: true,
    sourcemap: production ? false : "linked",
    minify: production,
    logLevel: "warning",
    legalComments: "none"
};

const builds = [
    {
        ...common,
        entryPoints: ["src/extension.ts"],
        outfile: "dist/extension.js",
        platform: "node",
        format: "cjs",
        target: "node20",
        external: ["vscode", "node-llama-cpp"]
    },
    {
        ...common,
        entryPoints: ["src/engine/main.ts"],
        outfile: "dist/engine.mjs",
        platform: "node",
        format: "esm",
        target: "node20",
        external: ["node-llama-cpp"]
    },
    {
        ...common,
        entryPoints: ["src/latex/worker/main.ts"],
        outfile: "dist/latexWorker.js",
        platform: "node",
        format: "cjs",
        target: "node20"
    },
    {
        ...common,
        entryPoints: ["webview/main.ts"],
        outfile: "dist/webview.js",
        platform: "browser",
        format: "iife",
        target: "es2022"
    }
];

await mkdir("dist", {recursive: true});
if (watch) {
    for (const options of builds)
        await (await esbuild.context(options)).watch();
    console.log("build: watching for changes");
} else {
    await Promise.all([...builds.map((options) => esbuild.build(options)), copyPageAssets()]);
}

/** Stylesheets and fonts the chat page loads from the extension: codicons and KaTeX's. */
async function copyPageAssets() {
    await mkdir("dist/codicons", {recursive: true});
    await cp("node_modules/@vscode/codicons/dist/codicon.css", "dist/codicons/codicon.css");
    await cp("node_modules/@vscode/codicons/dist/codicon.ttf", "dist/codicons/codicon.ttf");
    await cp("node_modules/katex/dist/katex.min.css", "dist/katex/katex.min.css");
    await cp("node_modules/katex/dist/fonts", "dist/katex/fonts", {recursive: true, filter: (file) => !/\.(ttf|woff)$/.test(file)});
}
