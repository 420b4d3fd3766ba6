import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { codeServerBin, setupHint, testResultsDir } from "./paths.ts";

/** How to start a code-server for one test file. */
export interface CodeServerOptions {
  /** The packaged extension to install (`code-server --install-extension`). */
  vsixPath: string;
  /** The folder the workbench opens. */
  workspaceFolder: string;
  /**
   * User settings, merged over the quiet offline defaults, e.g.
   * `{ "astrosage.model.path": "/m.gguf", "astrosage.engine.threads": 1 }`.
   */
  settings?: Record<string, unknown>;
  /** Names the files under test-results/. Defaults to `"e2e"`. */
  name?: string;
  /** How long to wait for /healthz. Defaults to 30 s. */
  startTimeoutMs?: number;
}

/** A running code-server; call `stop()` when done. */
export interface CodeServer {
  /** The workbench URL, already pointing at the workspace folder. */
  readonly url: string;
  readonly port: number;
  /** code-server's --user-data-dir (settings in User/, logs in logs/). */
  readonly userDataDir: string;
  /** Where code-server's own stdout and stderr go. */
  readonly logFile: string;
  /** Merges `settings` into the user settings file; the running workbench picks the change up. */
  updateSettings(settings: Record<string, unknown>): void;
  /** Paths of every log file VS Code wrote, e.g. exthost logs and output channels. */
  logFiles(): string[];
  /**
   * The text of the log files whose path matches `pattern`, joined with headers,
   * e.g. `readLogs(/exthost/)` or `readLogs(/AstroSage\.log$/)` for the extension's channel.
   */
  readLogs(pattern: RegExp): string;
  /** Ends code-server's whole process group and copies VS Code's logs to test-results/. */
  stop(): Promise<void>;
}

/** Settings that keep the workbench quiet and off the network (see the e2e notes). */
const quietSettings: Record<string, unknown> = {
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
};

/** Throws a clear error unless code-server is installed. Never skip: a missing tool is a failure. */
export function assertCodeServerInstalled(): void {
  if (!fs.existsSync(codeServerBin)) {
    throw new Error(`code-server is not installed (expected ${codeServerBin}). ${setupHint}`);
  }
}

/** Installs the .vsix into a scratch code-server, starts it on loopback and waits for /healthz. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  assertCodeServerInstalled();
  if (!fs.existsSync(options.vsixPath)) throw new Error(`No .vsix at ${options.vsixPath}`);
  const name = options.name ?? "e2e";
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `astrosage-${name}-`));
  const userDataDir = path.join(scratch, "user-data");
  const extensionsDir = path.join(scratch, "extensions");
  writeUserSettings(userDataDir, { ...quietSettings, ...options.settings });
  fs.mkdirSync(testResultsDir, { recursive: true });
  const logFile = path.join(testResultsDir, `${name}-code-server.log`);
  fs.writeFileSync(logFile, "");
  const env = scratchEnv(scratch);
  const dirs = ["--user-data-dir", userDataDir, "--extensions-dir", extensionsDir];

  try {
    installExtension(options.vsixPath, dirs, env, logFile);
  } catch (error) {
    fs.rmSync(scratch, { recursive: true, force: true });
    throw error;
  }

  const port = await freePort();
  const log = fs.openSync(logFile, "a");
  // detached: its own process group, so stop() can end code-server and every
  // child (extension host, the extension's engine process) with one signal.
  const child = spawn(codeServerBin, [
    ...dirs,
    "--auth", "none",
    "--bind-addr", `127.0.0.1:${port}`,
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-workspace-trust",
    "--disable-getting-started-override",
    options.workspaceFolder,
  ], { env, detached: true, stdio: ["ignore", log, log] });
  fs.closeSync(log);

  const server: CodeServer = {
    url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(options.workspaceFolder)}`,
    port,
    userDataDir,
    logFile,
    updateSettings: (settings) => {
      const file = path.join(userDataDir, "User", "settings.json");
      writeUserSettings(userDataDir, { ...JSON.parse(fs.readFileSync(file, "utf8")), ...settings });
    },
    logFiles: () => listFiles(path.join(userDataDir, "logs")),
    readLogs: (pattern) => server.logFiles()
      .filter((file) => pattern.test(file))
      .map((file) => `==> ${path.relative(userDataDir, file)} <==\n${fs.readFileSync(file, "utf8")}`)
      .join("\n"),
    stop: async () => {
      await killGroup(child);
      copyLogs(userDataDir, path.join(testResultsDir, `${name}-vscode-logs`));
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
  try {
    await waitForHealthz(port, child, options.startTimeoutMs ?? 30_000, logFile);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void {
  const userDir = path.join(userDataDir, "User");
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, "settings.json"), JSON.stringify(settings, null, 2));
}

/**
 * The environment for code-server: XDG folders in the scratch folder, or it
 * writes its config and data under the home folder; and no VSCODE_* variables,
 * which would make it talk to the VS Code a developer runs the tests from.
 */
function scratchEnv(scratch: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("VSCODE_") && key !== "ELECTRON_RUN_AS_NODE") env[key] = value;
  }
  for (const [key, dir] of [["XDG_CONFIG_HOME", "config"], ["XDG_DATA_HOME", "data"], ["XDG_CACHE_HOME", "cache"]]) {
    env[key] = path.join(scratch, dir);
    fs.mkdirSync(env[key]!, { recursive: true });
  }
  return env;
}

function installExtension(vsixPath: string, dirs: string[], env: NodeJS.ProcessEnv, logFile: string): void {
  const result = spawnSync(codeServerBin, [...dirs, "--install-extension", vsixPath], {
    env, encoding: "utf8", timeout: 60_000,
  });
  fs.appendFileSync(logFile, `$ code-server --install-extension ${vsixPath}\n${result.stdout}${result.stderr}\n`);
  // code-server reports some install failures (e.g. an unmet engines.vscode) with
  // exit code 0, so require its success line too.
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0 || !/was successfully installed/.test(output)) {
    throw new Error(`code-server could not install ${vsixPath} (exit ${result.status}):\n${output.trim()}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealthz(port: number, child: ChildProcess, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited with code ${child.exitCode} before it was ready; see ${logFile}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet: poll again.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms; see ${logFile}`);
}

/** SIGTERM to the group, then SIGKILL if it has not exited after 5 s. */
async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  signalGroup(child.pid, "SIGTERM");
  const timer = setTimeout(() => signalGroup(child.pid!, "SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
  // Children (the extension host, the engine) may outlive the leader briefly.
  signalGroup(child.pid, "SIGKILL");
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

function copyLogs(userDataDir: string, destination: string): void {
  const logs = path.join(userDataDir, "logs");
  if (!fs.existsSync(logs)) return;
  fs.rmSync(destination, { recursive: true, force: true });
  fs.cpSync(logs, destination, { recursive: true });
}
