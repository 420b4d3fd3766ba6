/**
 * The welcome's content from the catalog advice, the model folder and the
 * download in progress. No `vscode` import.
 */
import {adviseInstead, describeFit, describeMachine} from "../core/hardwareFit.ts";
import {defaultBuild, type CatalogBuild} from "../core/modelCatalog.ts";
import {formatBytes} from "../core/units.ts";
import {describeDownloadProgress} from "../models/describeDownload.ts";
import type {ActiveDownload} from "../models/DownloadService.ts";
import type {CatalogAdvice} from "../models/ModelAdvisor.ts";
import type {Welcome} from "./webviewProtocol.ts";

export type WelcomeInputs = {
    /** Undefined while the advice is being computed. */
    advice: CatalogAdvice | undefined;
    download: ActiveDownload | undefined;
    /** Builds with an interrupted download waiting to resume. */
    resumable: ReadonlySet<string>;
    /** The last download's failure, shown until the next attempt. */
    downloadProblem?: string;
};

export function buildWelcome({advice, download, resumable, downloadProblem}: WelcomeInputs): Welcome {
    const fit = advice?.ok === true
        ? advice.recommended ?? advice.fits.find((candidate) => candidate.build.isDefault === true)
        : undefined;
    const build: CatalogBuild = download?.build ?? fit?.build ?? defaultBuild();
    const welcome: Welcome = {
        checking: advice == null,
        build: {id: build.id, label: build.label, size: formatBytes(fit?.needs.fileBytes ?? build.approximateBytes), quality: build.quality},
        resumable: resumable.has(build.id)
    };
    if (advice?.ok === true && fit != null) {
        welcome.fit = {verdict: fit.verdict, text: describeFit(fit, advice.machine)};
        const instead = adviseInstead(fit, advice.fits, advice.machine);
        if (instead != null)
            welcome.fit.advice = instead;
        welcome.machine = describeMachine(advice.machine);
    }
    if (advice?.ok === false)
        welcome.problem = advice.problem;
    if (downloadProblem != null)
        welcome.problem = downloadProblem;
    if (download != null) {
        const {progress, detail} = describeDownloadProgress(download.progress);
        welcome.download = {percent: Math.floor(progress * 100), text: detail};
    }
    return welcome;
}
