// One VS Code for a test file: code-server with the packaged extension
// installed, opened in headless Chromium, and closed with a last screenshot.
import { startCodeServer, type CodeServer } from "./codeServer.ts";
import { openWorkbench, type Workbench } from "./workbench.ts";
import { vsixUnderTest } from "./workspace.ts";

export interface VsCodeSession {
  server: CodeServer;
  workbench: Workbench;
}

/** Starts code-server on `workspaceFolder` with `settings` and opens its workbench; logs and screenshots are named `name`. */
export async function openVsCode(name: string, workspaceFolder: string, settings: Record<string, unknown>): Promise<VsCodeSession> {
  const server = await startCodeServer({ name, vsixPath: vsixUnderTest(), workspaceFolder, settings });
  try {
    return { server, workbench: await openWorkbench(server.url, { name }) };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** Saves `test-results/<name>-final.png`, then closes the browser and stops code-server (either may be missing after a failed start). */
export async function closeVsCode(name: string, session: Partial<VsCodeSession>): Promise<void> {
  await session.workbench?.screenshot(`${name}-final`).catch(() => undefined);
  await session.workbench?.close();
  await session.server?.stop();
}
