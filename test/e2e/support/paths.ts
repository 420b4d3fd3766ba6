import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** The project's root folder (this file lives in test/e2e/support/). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** Where end-to-end logs and screenshots go, for a human to read after a run. */
export const testResultsDir = path.join(projectRoot, "test-results");

/** The code-server launcher that scripts/setup-e2e.sh installs. */
export const codeServerBin = path.join(projectRoot, ".cache/code-server/node_modules/.bin/code-server");

/** The extension under test, as `<publisher>.<name>`. */
export const extensionId = "astromlab-community.astrosage";

/** The message every "something is not installed" error ends with. */
export const setupHint = "Run `bash scripts/setup-e2e.sh` to install it.";
