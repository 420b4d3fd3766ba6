/**
 * Replacing a file so that a crash at any moment leaves either the old text or
 * the new, never a mix: write a temporary file next to the target, flush it to
 * disk, then rename it over the target (a rename within a folder is atomic).
 */
import {randomBytes} from "node:crypto";
import {open, rename, unlink} from "node:fs/promises";
import path from "node:path";

const tempSuffix = ".tmp";

/** The name of a temporary file for `target`; random, so two writers (two VS Code windows) never share one. */
function tempFileFor(target: string): string {
    return `${target}.${randomBytes(6).toString("hex")}${tempSuffix}`;
}

/** Whether `fileName` is a temporary file left by `writeFileAtomically` (for example after a crash). */
export function isTempFileName(fileName: string): boolean {
    return /\.[0-9a-f]{12}\.tmp$/.test(fileName);
}

/**
 * Writes `text` to `target` atomically and durably. The folder must exist.
 * On failure the target is unchanged and the temporary file is removed.
 */
export async function writeFileAtomically(target: string, text: string): Promise<void> {
    const temp = tempFileFor(target);
    try {
        // "wx": never reuse a file someone else is writing. 0o600: chats are private.
        const file = await open(temp, "wx", 0o600);
        try {
            await file.writeFile(text, "utf8");
            // Without this the rename can reach the disk before the data does,
            // and a power cut would leave an empty file where the chat was.
            await file.sync();
        } finally {
            await file.close();
        }
        await renameReplacing(temp, target);
    } catch (error) {
        await unlink(temp).catch(() => undefined); // may not exist; the first error is the one to report
        throw error;
    }
    await syncFolder(path.dirname(target));
}

/**
 * Renames over an existing file. On Windows a rename fails for a moment while
 * another program (a virus scanner, the search indexer) has the target open,
 * so it is tried again for about a second, as graceful-fs does.
 */
async function renameReplacing(from: string, to: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
        try {
            await rename(from, to);
            return;
        } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            const transient = process.platform === "win32" && (code === "EPERM" || code === "EACCES" || code === "EBUSY");
            if (!transient || attempt >= 10)
                throw error;
            await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
        }
    }
}

/**
 * Makes the rename itself durable. Windows cannot open a folder as a file (and
 * commits renames on its own); some file systems cannot sync a folder and say so
 * with these codes, which leaves the rename as safe as those systems make it.
 */
async function syncFolder(folder: string): Promise<void> {
    if (process.platform === "win32")
        return;
    try {
        const handle = await open(folder, "r");
        try {
            await handle.sync();
        } finally {
            await handle.close();
        }
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "EINVAL" && code !== "ENOTSUP" && code !== "EISDIR" && code !== "EPERM" && code !== "EBADF")
            throw error;
    }
}
