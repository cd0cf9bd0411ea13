// InfluxData's own Flux parser and type checker (the WebAssembly build of flux-lsp, the language
// server behind the InfluxDB UI's editor: npm @influxdata/flux-lsp-browser), loaded in Node for
// tests: `fluxErrors(script)` is empty when the script parses and type-checks against Flux's
// standard library (unknown functions, wrong or missing arguments, wrong types), else it names
// what is wrong. The package is built for bundlers (its glue imports the .wasm as a module), so
// the glue is loaded from its text with that one import replaced by the instantiated module.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type WasmExports = Record<string, unknown>;
/** The part of the WebAssembly global used here (the project's TypeScript lib does not declare it). */
const { WebAssembly: wasmApi } = globalThis as unknown as {
  WebAssembly: { instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: WasmExports } }> };
};

interface FluxLsp {
  __setWasm(exports: WasmExports): void;
  parse(script: string): unknown;
  Flux: new (script: string) => { is_valid(): boolean; free(): void };
}

let loaded: Promise<FluxLsp> | undefined;

async function load(): Promise<FluxLsp> {
  const dir = dirname(createRequire(import.meta.url).resolve('@influxdata/flux-lsp-browser/package.json'));
  const WASM_IMPORT = "import * as wasm from './flux-lsp-browser_bg.wasm';";
  const MEMORY = /\ncachedInt32Memory0 = new Int32Array\(wasm\.memory\.buffer\);\ncachedUint8Memory0 = new Uint8Array\(wasm\.memory\.buffer\);\n/;
  const glue = readFileSync(join(dir, 'flux-lsp-browser_bg.js'), 'utf8');
  if (!glue.includes(WASM_IMPORT) || !MEMORY.test(glue)) throw new Error(`${dir}: not the flux-lsp-browser glue this loader knows (0.8.x)`);
  const patched = glue
    .replace(
      WASM_IMPORT,
      'let wasm;\nexport function __setWasm(w) { wasm = w; cachedInt32Memory0 = new Int32Array(wasm.memory.buffer); cachedUint8Memory0 = new Uint8Array(wasm.memory.buffer); }',
    )
    .replace(MEMORY, '\n');
  const lsp = (await import(/* @vite-ignore */ `data:text/javascript;base64,${Buffer.from(patched).toString('base64')}`)) as FluxLsp;
  const { instance } = await wasmApi.instantiate(readFileSync(join(dir, 'flux-lsp-browser_bg.wasm')), {
    './flux-lsp-browser_bg.js': lsp,
  });
  lsp.__setWasm(instance.exports);
  return lsp;
}

/** Syntax errors the parser put in the AST (nodes carry `errors: [{ msg }]`). */
function syntaxErrors(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) syntaxErrors(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'errors' && Array.isArray(v)) for (const e of v) out.push(String((e as { msg?: string }).msg ?? JSON.stringify(e)));
      else syntaxErrors(v, out);
    }
  }
  return out;
}

/** What is wrong with a Flux script: [] when it parses and type-checks. */
export async function fluxErrors(script: string): Promise<string[]> {
  const lsp = await (loaded ??= load());
  const syntax = syntaxErrors(lsp.parse(script));
  if (syntax.length) return syntax;
  const f = new lsp.Flux(script);
  try {
    return f.is_valid() ? [] : ['does not type-check against the Flux standard library (unknown function, argument or type)'];
  } finally {
    f.free();
  }
}
