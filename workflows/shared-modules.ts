/**
 * Preloaded into the worker's shared V8 context (worker/workflow-bundle.ts): every domain module and zod,
 * evaluated once for all workflows instead of once per workflow.
 *
 * The SDK deep-freezes what is preloaded so that no workflow can change what another sees. zod, though,
 * finishes a schema on first use — it binds `safeParse` onto the instance and caches what it derives —
 * and a frozen schema throws ("Cannot define property safeParse, object is not extensible"). Those caches
 * come out the same whichever workflow fills them and hold no workflow's state. So here:
 * - what each domain module exports is deep-frozen, as the SDK would, zod schemas left out;
 * - then the module records of the domain and of zod (only those: the SDK's own modules keep its deep
 *   freeze) are frozen shallowly, which the SDK's deep freeze takes as done.
 * A constant that a domain module does not export but hands out from a function (a profile's clock) is
 * shared unfrozen: workflow code reads domain data and never writes to it (README, "Changing workflow code").
 */
declare const __webpack_modules__: Record<string, unknown>;
declare const __webpack_require__: (moduleId: string) => unknown;

/** Deep-freezes `value` except zod schemas; getters are read only on a module's exports (webpack defines them so). */
function freezeAllButSchemas(value: unknown, seen: WeakSet<object>, moduleExports = false): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
  seen.add(value);
  if (typeof value === 'object' && '_zod' in value) return;
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
    if (descriptor?.get && moduleExports) freezeAllButSchemas(descriptor.get.call(value), seen);
    else if (descriptor && 'value' in descriptor) freezeAllButSchemas(descriptor.value, seen);
  }
  Object.freeze(value);
}

// Module ids are paths from the directory the bundle was built in: ./domain/x.ts from the sources,
// ./dist/domain/x.js from the build.
const moduleIds = Object.keys(__webpack_modules__);
const isDomain = (id: string) => !id.includes('/node_modules/') && id.includes('/domain/');
const isZod = (id: string) => id.includes('/node_modules/zod/');
const domainIds = moduleIds.filter(isDomain);
// Without them the preload would silently do nothing and every workflow would evaluate them again.
if (domainIds.length === 0 || !moduleIds.some(isZod)) throw new Error(`shared-modules: no domain or zod module among the bundle's module ids (${moduleIds.slice(0, 3).join(', ')}, …)`);

const seen = new WeakSet<object>();
for (const id of domainIds) freezeAllButSchemas(__webpack_require__(id), seen, true);

const moduleCache = (globalThis as { __webpack_module_cache__?: Record<string, object | undefined> }).__webpack_module_cache__;
for (const id of moduleIds.filter((moduleId) => isDomain(moduleId) || isZod(moduleId))) {
  const record = moduleCache?.[id];
  if (record) Object.freeze(record);
}

export {};
