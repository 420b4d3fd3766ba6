/**
 * Runs writes one at a time per key, so two quick saves of one chat never race
 * (with two renames in flight, the older text could land last). While a write
 * runs, only the newest waiting write for that key is kept: the ones it
 * replaces would be overwritten at once anyway, and a chat saved on every
 * frame should not queue up hundreds of copies.
 */

type Slot = {
    /** The job to run next; replaced by newer jobs until it starts, then cleared. */
    waiting: {job: () => Promise<void>} | undefined;
    /** Settles with the job that ran: what callers await. */
    done: Promise<void>;
    /** Resolves once that job has ended, however it ended: what the next slot waits for. */
    ended: Promise<void>;
};

export class LatestWinsWriteQueue {
    /** The newest slot per key; removed when it ends with no newer one behind it. */
    private readonly slots = new Map<string, Slot>();

    /**
     * Runs `job` after the write for `key` that is running, if any. Resolves
     * when `job`, or a newer job that replaced it before it started, has
     * finished; rejects with that job's error.
     */
    public run(key: string, job: () => Promise<void>): Promise<void> {
        const last = this.slots.get(key);
        if (last?.waiting != null) {
            last.waiting.job = job;
            return last.done;
        }

        const waiting = {job};
        const slot: Slot = {waiting, done: undefined!, ended: undefined!};
        slot.done = (last?.ended ?? Promise.resolve()).then(() => {
            slot.waiting = undefined; // started: a newer job now waits behind this one
            return waiting.job();
        });
        // The next job waits for this one whether it worked or not; an error
        // reaches this job's callers through `done`, so none is lost here.
        slot.ended = slot.done.then(() => undefined, () => undefined).then(() => {
            if (this.slots.get(key) === slot)
                this.slots.delete(key);
        });
        this.slots.set(key, slot);
        return slot.done;
    }
}
