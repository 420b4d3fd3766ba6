/**
 * Debian's Chromium, headless and off the network, for the browser and
 * end-to-end tests and the benchmarks. playwright-core only drives it: no
 * browser download.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {chromium, type Browser} from "playwright-core";

export const chromiumBin = "/usr/bin/chromium";

/** Flags that keep Chromium off the network and working as root (see the e2e notes). */
const chromiumFlags = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage"
];

/**
 * Starts Chromium. Crashpad writes under $XDG_CONFIG_HOME whatever the flags
 * say, so that points to a scratch folder removed when the browser closes.
 */
export async function launchChromium(): Promise<Browser> {
    if (!fs.existsSync(chromiumBin))
        throw new Error(`Chromium is not installed (expected ${chromiumBin}). Run \`bash scripts/setup-e2e.sh\` to install it.`);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "astrosage-render-chromium-"));
    const removeScratch = () => fs.rmSync(scratch, {recursive: true, force: true});
    const env = {...process.env, XDG_CONFIG_HOME: scratch, XDG_CACHE_HOME: scratch};
    try {
        const browser = await chromium.launch({executablePath: chromiumBin, headless: true, args: chromiumFlags, env});
        browser.on("disconnected", removeScratch);
        return browser;
    } catch (error) {
        removeScratch();
        throw error;
    }
}
