// Builds a .vsix for one platform that carries only that platform's
// node-llama-cpp binaries (never the CUDA packages of hundreds of MB).
//
//   node scripts/package.mjs [target]     target defaults to this machine, e.g. linux-x64
//
// Writes artifacts/astrosage-<target>.vsix and prints its size.
import {execFileSync} from "node:child_process";
import {existsSync} from "node:fs";
import {mkdir, readFile, stat, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** node-llama-cpp's binary packages per VS Code target: CPU build first, then the GPU one. */
const binaryPackages = {
    "linux-x64": ["linux-x64", "linux-x64-vulkan"],
    "linux-arm64": ["linux-arm64"],
    "linux-armhf": ["linux-armv7l"],
    "darwin-arm64": ["mac-arm64-metal"],
    "darwin-x64": ["mac-x64"],
    "win32-x64": ["win-x64", "win-x64-vulkan"],
    "win32-arm64": ["win-arm64"]
};

const target = process.argv[2] ?? `${process.platform}-${os.arch()}`;
const packages = binaryPackages[target];
if (packages == null) {
    console.error(`package: unknown target "${target}"; one of ${Object.keys(binaryPackages).join(", ")}`);
    process.exit(1);
}
const missing = packages.filter((name) => !existsSync(path.join("node_modules", "@node-llama-cpp", name)));
if (missing.length > 0) {
    // Packaging for another platform needs its binaries installed, e.g.
    // `npm install --no-save --os=darwin --cpu=arm64 @node-llama-cpp/mac-arm64-metal`.
    console.error(`package: node_modules lacks @node-llama-cpp/${missing.join(", @node-llama-cpp/")} for ${target}`);
    process.exit(1);
}

execFileSync(process.execPath, ["scripts/build.mjs", "--production"], {stdio: "inherit"});

const ignoreFile = path.join("artifacts", `.vscodeignore-${target}`);
await mkdir("artifacts", {recursive: true});
const allowTarget = packages.map((name) => `!node_modules/@node-llama-cpp/${name}/**`).join("\n");
await writeFile(ignoreFile, `${await readFile(".vscodeignore", "utf8")}\n${allowTarget}\n`);

const out = path.join("artifacts", `astrosage-${target}.vsix`);
const vsce = path.join("node_modules", "@vscode", "vsce", "vsce");
execFileSync(process.execPath, [vsce, "package", "--target", target, "--ignoreFile", ignoreFile, "--out", out,
    "--allow-missing-repository", "--no-rewrite-relative-links"], {stdio: ["ignore", "inherit", "inherit"]});

const {size} = await stat(out);
console.log(`package: ${out} (${(size / 1024 / 1024).toFixed(1)} MiB)`);
