import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot } from "./paths.ts";

/** The .vsix that `npm run package` writes. */
export const packagedVsix = path.join(projectRoot, "artifacts/astrosage-linux-x64.vsix");

/**
 * The path of the packaged extension. The E2E_VSIX environment variable points
 * at another one (handy while developing the harness). Throws, never skips, when it is absent.
 */
export function vsixUnderTest(): string {
  const vsix = process.env.E2E_VSIX ?? packagedVsix;
  if (!fs.existsSync(vsix)) throw new Error(`No extension package at ${vsix}: run npm run package first.`);
  return vsix;
}

/** Creates a scratch workspace folder holding `files` (relative path → text); returns its path. */
export function createWorkspace(files: Record<string, string> = {}): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "astrosage-workspace-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), text);
  }
  return folder;
}
