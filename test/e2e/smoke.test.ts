// The packaged extension installs into a real code-server and shows up in the
// workbench: its activity-bar entry, its commands and its chat webview.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { after, before, test } from "node:test";
import { startCodeServer, type CodeServer } from "./support/codeServer.ts";
import { openWorkbench, type Workbench } from "./support/workbench.ts";
import { createWorkspace, vsixUnderTest } from "./support/workspace.ts";

let server: CodeServer | undefined;
let workbench: Workbench | undefined;
let workspace: string | undefined;

before(async () => {
  workspace = createWorkspace({ "notes.md": "# Notes\n\nThe Hubble constant is about 70 km/s/Mpc.\n" });
  // No model configured: the smoke test must not depend on a GGUF file.
  server = await startCodeServer({
    name: "smoke",
    vsixPath: vsixUnderTest(),
    workspaceFolder: workspace,
    settings: { "astrosage.engine.threads": 1 },
  });
  workbench = await openWorkbench(server.url, { name: "smoke" });
});

after(async () => {
  await workbench?.screenshot("smoke-final").catch(() => undefined);
  await workbench?.close();
  await server?.stop();
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
  for (const title of ["AstroSage: Select Model File…", "AstroSage: Restart Engine", "AstroSage: Show Log"]) {
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
