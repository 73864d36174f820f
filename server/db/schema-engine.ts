// Prisma's schema engine (the part that diffs schemas and applies migrations), run as WebAssembly.
//
// Why wasm: the Prisma CLI downloads a native schema-engine binary before `migrate`/`db` commands,
// which is impossible offline and one more platform-specific artifact to ship. The npm package
// @prisma/schema-engine-wasm is the same engine compiled to wasm; it talks to the database through
// a Prisma driver adapter (the very adapters the app uses), so it needs no binary and no download.
// It still writes `_prisma_migrations` exactly like `prisma migrate deploy`.
//
// The package is built for bundlers (`import * as wasm from "./x.wasm"`), so in Node we instantiate
// the .wasm file ourselves and hand its exports to the JS glue, once per process.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';

export type { SchemaEngine, MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';
export type DbKind = 'sqlite' | 'postgres';

/** The filter every engine call needs (an incomplete argument object makes the engine panic). */
export const NO_FILTERS = { externalTables: [], externalEnums: [] };

let loaded: Promise<typeof bg.SchemaEngine> | undefined;

/** Loads and starts the wasm module on first use; later calls share the same instance. */
function loadEngine(): Promise<typeof bg.SchemaEngine> {
  loaded ??= (async () => {
    const glue = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(path.join(path.dirname(glue), 'schema_engine_bg.wasm'));
    const module = await WebAssembly.compile(bytes);
    // The engine arms a 10 s timer (its migration-lock timeout) and never clears it, which would
    // keep Node alive 10 s after the work is done: hand it unref'd timers instead.
    const imports: WebAssembly.ModuleImports = { ...(bg as unknown as WebAssembly.ModuleImports) };
    for (const name of Object.keys(imports).filter((k) => k.startsWith('__wbg_setTimeout_'))) {
      imports[name] = (fn: () => void, ms: number) => setTimeout(fn, ms >>> 0).unref();
    }
    const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': imports });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg.SchemaEngine;
  })();
  loaded.catch(() => (loaded = undefined)); // let a later call retry after a failure
  return loaded;
}

/**
 * Opens a schema engine on the database behind `adapterFactory`. `datamodel` is the Prisma schema
 * text for that database's provider. Call `engine.free()` when done.
 */
export async function openSchemaEngine(
  kind: DbKind,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  datamodel: string,
  log: (line: string) => void = () => {},
): Promise<SchemaEngine> {
  const expected = kind === 'sqlite' ? 'sqlite' : 'postgres';
  if (adapterFactory.provider !== expected) {
    throw new Error(`schema engine: a ${kind} engine needs a ${expected} adapter, got ${adapterFactory.provider}`);
  }
  const Engine = await loadEngine();
  return Engine.new(
    { datamodels: [[`${kind}/schema.prisma`, datamodel]] },
    log,
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}
