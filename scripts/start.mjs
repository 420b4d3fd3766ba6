// `npm start`: builds the extension, then opens VS Code with it.
//  - With desktop VS Code (`code` on PATH): a development window with the extension loaded.
//  - Otherwise: a local VS Code in the browser (code-server, installed into .cache/ by
//    scripts/setup-e2e.sh) on 127.0.0.1, with the packaged extension installed, as a
//    user would have it; prints the address.
// Settings and state of the browser session are kept in .cache/start/ between runs.
//
//   npm start [-- FOLDER]      FOLDER defaults to a scratch folder in .cache/start/
import {execFileSync, spawn, spawnSync} from "node:child_process";
import {existsSync, mkdirSync, writeFileSync} from "node:fs";
import net from "node:net";
import path from "node:path";
import {fileURLToPath} from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// The folder to open: the first argument, or a scratch folder kept in .cache/start/.
const workspace = process.argv[2] ? path.resolve(process.argv[2]) : path.join(root, ".cache/start/workspace");
mkdirSync(workspace, {recursive: true});

execFileSync(process.execPath, [path.join(root, "scripts/build.mjs")], {cwd: root, stdio: "inherit"});

if (spawnSync("code", ["--version"], {stdio: "ignore"}).status === 0) {
    console.log("start: opening desktop VS Code with the extension");
    spawn("code", ["--extensionDevelopmentPath", root, workspace], {stdio: "inherit", detached: true}).unref();
    process.exit(0);
}

execFileSync("bash", [path.join(root, "scripts/setup-e2e.sh")], {cwd: root, stdio: "inherit"});
const codeServer = path.join(root, ".cache/code-server/node_modules/.bin/code-server");
const state = path.join(root, ".cache/start");
const extensionsDir = path.join(state, "extensions");
const userDataDir = path.join(state, "user-data");

// code-server has no development mode for extensions: install the packaged one.
execFileSync(process.execPath, [path.join(root, "scripts/package.mjs")], {cwd: root, stdio: "inherit"});
const vsix = path.join(root, "artifacts", `astrosage-${process.platform}-${process.arch}.vsix`);

const settingsFile = path.join(userDataDir, "User", "settings.json");
if (!existsSync(settingsFile)) {
    mkdirSync(path.dirname(settingsFile), {recursive: true});
    writeFileSync(settingsFile, JSON.stringify({
        "workbench.startupEditor": "none",
        "telemetry.telemetryLevel": "off",
        "extensions.autoUpdate": false,
        "extensions.autoCheckUpdates": false,
        "update.mode": "none"
    }, null, 2));
}

const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(state, "config"),
    XDG_DATA_HOME: path.join(state, "data"),
    XDG_CACHE_HOME: path.join(state, "cache")
};
execFileSync(codeServer, ["--user-data-dir", userDataDir, "--extensions-dir", extensionsDir, "--force", "--install-extension", vsix],
    {env, stdio: ["ignore", "inherit", "inherit"]});

const port = Number(process.env.PORT) || await freePort();
const child = spawn(codeServer, [
    "--auth", "none",
    "--bind-addr", `127.0.0.1:${port}`,
    "--user-data-dir", userDataDir,
    "--extensions-dir", extensionsDir,
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-getting-started-override",
    workspace
], {env, stdio: ["ignore", "ignore", "inherit"]});
console.log(`start: VS Code with AstroSage is at http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
console.log("start: open it in a browser; press Ctrl+C here to stop.");
process.on("SIGINT", () => child.kill("SIGTERM"));
child.on("exit", (code) => process.exit(code ?? 0));

function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const {port} = server.address();
            server.close(() => resolve(port));
        });
    });
}
