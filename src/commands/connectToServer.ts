/**
 * "AstroSage: Connect to Server…", "AstroSage: Set Server API Key…" and
 * "AstroSage: Test Server Connection": AstroSage on an OpenAI-compatible
 * inference server (the 70B lives on GPU servers). Connecting asks the server
 * for its model list first and says what it answered; the API key goes to VS
 * Code's SecretStorage, one per server, never to settings.json.
 */
import * as vscode from "vscode";
import type {AstroSageContext} from "../context.ts";
import {hostOf, originOf} from "../core/urlParts.ts";
import type {ServerModel, ServerSettings} from "../server/OpenAiClient.ts";
import type {ConnectionReport} from "../server/ServerBackend.ts";
import {apiKeySecretName, normalizeBaseUrl} from "../server/serverUrl.ts";

export const connectToServer = (ctx: AstroSageContext) => async () => {
    const typed = await vscode.window.showInputBox({
        title: "AstroSage: Connect to Server (1/2)",
        prompt: "The base URL of an OpenAI-compatible server (vLLM, llama.cpp's llama-server, Ollama) serving AstroSage",
        placeHolder: "https://gpu.example.edu/v1",
        value: ctx.config.serverBaseUrl === "" ? "http://127.0.0.1:8080/v1" : ctx.config.serverBaseUrl,
        ignoreFocusOut: true,
        validateInput: (value) => normalizeBaseUrl(value) == null ? "Enter an http:// or https:// URL, such as https://gpu.example.edu/v1" : undefined
    });
    const baseUrl = typed == null ? undefined : normalizeBaseUrl(typed);
    if (baseUrl == null)
        return;

    let settings: ServerSettings = {...await ctx.serverSettings(), baseUrl, apiKey: await storedKey(ctx, baseUrl)};
    let report = await testWithProgress(ctx, settings);
    if (!report.ok && report.error.code === "serverAuth") {
        // The server wants a key (or another one): ask, then test again with it.
        const apiKey = await askForKey(report.origin, `${report.origin} needs an API key (it answered ${report.error.status ?? "with a refusal"}).`);
        if (apiKey == null)
            return;
        settings = {...settings, apiKey};
        report = await testWithProgress(ctx, settings);
        if (report.ok)
            await ctx.extension.secrets.store(apiKeySecretName(baseUrl), apiKey);
    }
    if (!report.ok) {
        ctx.log.warn(`Connecting to ${report.origin} failed: ${report.error.message}`);
        const choice = await vscode.window.showErrorMessage(report.error.message, "Try Again", "Show Log");
        if (choice === "Try Again")
            await vscode.commands.executeCommand("astrosage.connectToServer");
        else if (choice === "Show Log")
            ctx.log.show();
        return;
    }

    const model = await pickModel(report.models, ctx.config.serverModel, report.origin);
    if (model == null)
        return;
    await ctx.config.setServer(baseUrl, model.id);
    ctx.log.info(`Connected to ${report.origin}: ${report.models.length} model(s), using ${model.id}${model.contextSize == null ? "" : ` (context ${model.contextSize})`}`);
    // Short, so the notification shows it whole: the model and the host.
    void vscode.window.showInformationMessage(`AstroSage answers with ${model.id} on ${hostOf(baseUrl)}.`);
};

/** "AstroSage: Set Server API Key…": stores, replaces or (empty) removes the key of the server in use. */
export const setServerApiKey = (ctx: AstroSageContext) => async () => {
    const baseUrl = ctx.config.serverBaseUrl;
    if (baseUrl === "") {
        void vscode.window.showInformationMessage("No server is set yet: run \"AstroSage: Connect to Server…\" first.", "Connect to Server…")
            .then((choice) => choice == null ? undefined : vscode.commands.executeCommand("astrosage.connectToServer"));
        return;
    }
    const origin = originOf(baseUrl);
    const apiKey = await askForKey(origin, undefined);
    if (apiKey == null)
        return;
    if (apiKey === "") {
        await ctx.extension.secrets.delete(apiKeySecretName(baseUrl));
        void vscode.window.showInformationMessage(`The API key for ${origin} is removed.`);
        return;
    }
    await ctx.extension.secrets.store(apiKeySecretName(baseUrl), apiKey);
    const report = await testWithProgress(ctx, await ctx.serverSettings());
    if (report.ok)
        void vscode.window.showInformationMessage(`The API key for ${origin} is stored; the server accepts it.`);
    else
        void vscode.window.showWarningMessage(`The API key for ${origin} is stored, but the connection test failed: ${report.error.message}`);
};

/** "AstroSage: Test Server Connection": asks the server in use for its models and says what it answered. */
export const testServerConnection = (ctx: AstroSageContext) => async () => {
    const settings = await ctx.serverSettings();
    if (settings.baseUrl === "") {
        await vscode.commands.executeCommand("astrosage.connectToServer");
        return;
    }
    const report = await testWithProgress(ctx, settings);
    if (!report.ok) {
        ctx.log.warn(`Connection test of ${report.origin} failed: ${report.error.message}`);
        void vscode.window.showErrorMessage(report.error.message);
        return;
    }
    const names = report.models.map((model) => model.id);
    const inUse = settings.model === "" ? names[0] : settings.model;
    const listed = names.includes(inUse!) ? "" : ` The model set in astrosage.server.model, ${inUse}, is not among them.`;
    void vscode.window.showInformationMessage(`${report.origin} answered in ${Math.round(report.milliseconds)} ms and serves ${names.join(", ")}.${listed}`);
};

async function testWithProgress(ctx: AstroSageContext, settings: ServerSettings): Promise<ConnectionReport> {
    return vscode.window.withProgress(
        {location: vscode.ProgressLocation.Notification, title: `AstroSage: asking ${hostOf(settings.baseUrl)} for its models…`, cancellable: true},
        async (_progress, token) => {
            const controller = new AbortController();
            token.onCancellationRequested(() => controller.abort());
            return ctx.server.testConnection(settings, controller.signal);
        }
    );
}

async function storedKey(ctx: AstroSageContext, baseUrl: string): Promise<string | undefined> {
    return (await ctx.extension.secrets.get(apiKeySecretName(baseUrl))) || undefined;
}

/** The API key, typed hidden; `""` to remove it; undefined when the user gives up. `why` opens the prompt. */
async function askForKey(origin: string, why: string | undefined): Promise<string | undefined> {
    const key = await vscode.window.showInputBox({
        title: `AstroSage: API key for ${origin}`,
        prompt: `${why == null ? "" : `${why} `}The key is kept in VS Code's secret storage and sent only to ${origin}. Leave empty to remove it.`,
        password: true,
        ignoreFocusOut: true
    });
    return key?.trim();
}

async function pickModel(models: ServerModel[], current: string, origin: string): Promise<ServerModel | undefined> {
    if (models.length === 1)
        return models[0];
    const items = models.map((model) => ({
        label: model.id,
        description: [model.id === current ? "in use" : "", /astro/i.test(model.id) ? "AstroSage" : "", model.contextSize == null ? "" : `context ${model.contextSize.toLocaleString("en")} tokens`]
            .filter((part) => part !== "").join(" · "),
        model
    }));
    // AstroSage's own models first: a facility's server often serves several.
    items.sort((a, b) => Number(/astro/i.test(b.label)) - Number(/astro/i.test(a.label)));
    const picked = await vscode.window.showQuickPick(items, {
        title: "AstroSage: Connect to Server (2/2)",
        placeHolder: `${origin} serves ${models.length} models: choose the one to answer with`,
        ignoreFocusOut: true
    });
    return picked?.model;
}
