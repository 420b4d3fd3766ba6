/**
 * Runs a renderer's frame updates when the benchmark says, and times them.
 *
 * The renderers ask for an update through a FrameScheduler (by default
 * `requestAnimationFrame`). Here the request is held until the driver calls
 * `renderFrame()`, which runs it in the next animation frame, as the default
 * would, and resolves after that frame's style, layout and paint: a message
 * posted from the frame is handled by the first task after it. Holding the
 * request also lets the driver skip frames (tokens pile up, coalesced, until
 * the next rendered frame), which only an extrapolated naive run uses.
 */
import type {FrameScheduler} from "../../webview/render/index.ts";

export type FrameTiming = {updateMs: number; frameMs: number};

export class FrameClock {
    private requested: (() => void) | undefined;
    private readonly channel = new MessageChannel();
    private afterFrame: (() => void) | undefined;

    public constructor() {
        this.channel.port1.onmessage = () => {
            const done = this.afterFrame;
            this.afterFrame = undefined;
            done?.();
        };
    }

    /** The scheduler to give the renderer. */
    public readonly schedule: FrameScheduler = (update) => {
        this.requested = update;
    };

    /** Runs the pending update in the next animation frame; resolves once that frame is drawn. */
    public renderFrame(): Promise<FrameTiming> {
        return new Promise((resolve, reject) => {
            requestAnimationFrame(() => {
                const update = this.requested;
                this.requested = undefined;
                if (update == null) {
                    reject(new Error("No update was requested for this frame"));
                    return;
                }
                const start = performance.now();
                update();
                const updated = performance.now();
                this.afterFrame = () => resolve({updateMs: updated - start, frameMs: performance.now() - start});
                this.channel.port2.postMessage(null);
            });
        });
    }
}
