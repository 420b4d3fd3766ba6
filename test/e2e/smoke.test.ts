// The packaged extension installs into a real code-server and shows up in the
// workbench: its activity-bar entry, its commands and its chat webview.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as net from "node:net";
import { after, before, test } from "node:test";
import type { CodeServer } from "./support/codeServer.ts";
import { closeVsCode, openVsCode } from "./support/vscodeSession.ts";
import type { Workbench } from "./support/workbench.ts";
import { createWorkspace } from "./support/workspace.ts";

let server: CodeServer | undefined;
let workbench: Workbench | undefined;
let workspace: string | undefined;
let closedPort: number;

/** A port nothing listens on: taken from the system, then released. */
async function closedLocalPort(): Promise<number> {
  const probe = net.createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => probe.once("listening", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

before(async () => {
  workspace = createWorkspace({ "notes.md": "# Notes\n\nThe Hubble constant is about 70 km/s/Mpc.\n" });
  // No model configured: the smoke test must not depend on a GGUF file. The
  // download source is a closed port, as for a machine without a network.
  closedPort = await closedLocalPort();
  ({ server, workbench } = await openVsCode("smoke", workspace, {
    "astrosage.engine.threads": 1,
    "astrosage.download.baseUrl": `http://127.0.0.1:${closedPort}`,
  }));
});

after(async () => {
  await closeVsCode("smoke", { server, workbench });
  if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
});

test("the AstroSage activity-bar entry is visible", async () => {
  const entry = workbench!.page.locator('.part.activitybar a.action-label[aria-label^="AstroSage"]');
  assert.equal(await entry.isVisible(), true);
});

test("the command palette lists the AstroSage commands", async () => {
  const labels = await workbench!.listCommands("AstroSage:");
  // "Stop Generating" is missing on purpose: its enablement (astrosage.generating)
  // is false when nothing is generating, and the palette hides disabled commands.
  for (const title of ["AstroSage: Select Model…", "AstroSage: Download Model…", "AstroSage: Manage Models", "AstroSage: Select Model File…", "AstroSage: Restart Engine", "AstroSage: Show Log"]) {
    assert.ok(labels.includes(title), `"${title}" is not among ${JSON.stringify(labels)}`);
  }
});

test("opening the AstroSage view shows the chat webview", async () => {
  await workbench!.openViewContainer("AstroSage");
  const frame = await workbench!.chatFrame();
  const elements = await frame.locator("body *").count();
  assert.ok(elements > 0, "the chat webview's page is empty");
  await workbench!.screenshot("smoke-chat-view");
});

test("without a network the welcome says so and offers a file on disk", async () => {
  const frame = await workbench!.chatFrame();
  const problem = frame.locator("#welcome .problem");
  await problem.waitFor({ timeout: 60_000 });
  assert.match((await problem.textContent()) ?? "", new RegExp(`^Could not read the model's header from 127\\.0\\.0\\.1:${closedPort} \\(ECONNREFUSED.*use a model file on disk instead\\.$`));
  for (const action of ["selectModelFile", "retry", "selectModel"]) {
    assert.equal(await frame.locator(`#welcome vscode-button[data-welcome-action="${action}"]`).isVisible(), true, action);
  }
  await workbench!.screenshot("smoke-offline-welcome");
});
