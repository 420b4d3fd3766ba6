import {mkdtemp, rm} from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** A fresh temporary folder and a function that removes it. */
export async function makeTempDir(prefix: string): Promise<{dir: string; remove: () => Promise<void>}> {
    const dir = await mkdtemp(path.join(os.tmpdir(), `astrosage-${prefix}-`));
    return {dir, remove: () => rm(dir, {recursive: true, force: true})};
}
