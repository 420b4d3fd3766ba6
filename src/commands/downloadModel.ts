import type {AstroSageContext} from "../context.ts";
import {findBuild} from "../core/modelCatalog.ts";
import {downloadWithProgress} from "../models/downloadWithProgress.ts";
import {pickBuild} from "../models/pickBuild.ts";

/**
 * "AstroSage: Download Model…": picks a build that is not downloaded yet and
 * downloads it. The welcome's Download button passes the build's id.
 */
export const downloadModel = (ctx: AstroSageContext) => async (buildId?: unknown) => {
    let build = typeof buildId === "string" ? findBuild(buildId) : undefined;
    if (build == null) {
        const picked = await pickBuild(ctx, {
            title: "AstroSage: Download Model",
            placeholder: "Choose the AstroSage build to download",
            onlyMissing: true
        });
        if (picked == null || !("build" in picked))
            return;
        build = picked.build;
    }
    await downloadWithProgress(ctx, build);
};
