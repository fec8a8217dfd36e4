import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * LiquidJS templates of mails (auto-replies, newsletter mails), sandboxed:
 * - in-memory templates only (`templates: {}`, `root: []`): `{% include %}`, `{% render %}` and
 *   layouts find nothing, never a file of the server (LiquidJS reads the working directory by
 *   default);
 * - finite limits: template length (parseLimit), render time (renderLimit, ms) and memory
 *   (memoryLimit). These are cooperative and have been bypassed (see the email notes), so every
 *   parse and render runs in a worker thread with a hard timeout and its own small heap: a
 *   template that does not finish in time is abandoned with its thread;
 * - the HTML part escapes every output (`outputEscape: 'escape'`) and the template's own text
 *   (`htmlSource`).
 * Callers pass only the variables a mail may show: never free text someone else typed.
 */

const ENGINE_OPTIONS = {
  templates: {},
  root: [],
  partials: [],
  layouts: [],
  dynamicPartials: false,
  strictFilters: true,
  strictVariables: false,
  ownPropertyOnly: true,
  cache: 200,
  parseLimit: 20_000,
  renderLimit: 200,
  memoryLimit: 2_000_000,
};
/** The hard limit of one render in the worker; past it the worker is terminated. */
const RENDER_TIMEOUT_MS = 1_000;

/** The template's own text HTML-escaped (newlines as <br>), its Liquid tags and outputs kept. */
export function htmlSource(template: string): string {
  return template
    .split(/({{[\s\S]*?}}|{%[\s\S]*?%})/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replaceAll('&', '&amp;')
            .replaceAll('<', '&lt;')
            .replaceAll('>', '&gt;')
            .replaceAll('"', '&quot;')
            .replaceAll("'", '&#39;')
            .replaceAll('\n', '<br>\n'),
    )
    .join('');
}

/** Plain JavaScript (the thread runs without the TypeScript loader): two engines, one per part. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Liquid } = require(workerData.liquid);
const text = new Liquid(workerData.options);
const html = new Liquid({ ...workerData.options, outputEscape: 'escape' });
parentPort.on('message', async (job) => {
  try {
    const out = [];
    for (const part of job.parts) {
      out.push(String(await (part.html ? html : text).parseAndRender(part.source, job.variables)));
    }
    parentPort.postMessage({ id: job.id, ok: true, out });
  } catch (error) {
    const message = String((error && error.message) || error).split('\\n')[0].slice(0, 200);
    parentPort.postMessage({ id: job.id, ok: false, error: message });
  }
});
`;

export type TemplatePart = { source: string; html: boolean };
type Answer = { id: number; ok: true; out: string[] } | { id: number; ok: false; error: string };

export class TemplateError extends Error {}

class RenderThread {
  #worker: Worker | undefined;
  #next = 0;
  readonly #pending = new Map<number, { resolve: (out: string[]) => void; reject: (e: Error) => void }>();

  render(parts: TemplatePart[], variables: Record<string, unknown>): Promise<string[]> {
    const worker = this.#start();
    const id = ++this.#next;
    return new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        // A render that ignores the cooperative limits: abandon it with its thread.
        this.#stop(new TemplateError(`takes longer than ${RENDER_TIMEOUT_MS} ms to render`));
      }, RENDER_TIMEOUT_MS);
      this.#pending.set(id, {
        resolve: (out) => {
          clearTimeout(timer);
          resolve(out);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      worker.postMessage({ id, parts, variables });
    });
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { liquid: createRequire(import.meta.url).resolve('liquidjs'), options: ENGINE_OPTIONS },
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
    });
    worker.on('message', (answer: Answer) => {
      const pending = this.#pending.get(answer.id);
      if (!pending) return;
      this.#pending.delete(answer.id);
      if (answer.ok) pending.resolve(answer.out);
      else pending.reject(new TemplateError(answer.error));
    });
    worker.on('error', (error) =>
      this.#stop(new TemplateError(`the template thread failed: ${error.message}`)),
    );
    worker.on('exit', () => {
      if (this.#worker === worker) this.#stop(new TemplateError('the template thread stopped'));
    });
    // After the listeners (adding one refs the thread again): an idle thread never keeps the process up.
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #stop(error: Error): void {
    const worker = this.#worker;
    this.#worker = undefined;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    if (worker) void worker.terminate();
  }
}

const thread = new RenderThread();

/**
 * Renders each part with the variables in the shared sandbox thread; TemplateError when a
 * template fails to parse or render, or takes longer than the hard limit.
 */
export function renderTemplates(
  parts: TemplatePart[],
  variables: Record<string, unknown>,
): Promise<string[]> {
  return thread.render(parts, variables);
}

/** A short name that does not look like a link or an address; otherwise empty. */
export function safeName(value: string | null | undefined): string {
  if (!value) return '';
  if (/[:/@<>]|www\.|\.[a-z]{2,}\b/i.test(value)) return '';
  return value.slice(0, 60);
}
