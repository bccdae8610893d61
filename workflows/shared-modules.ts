import * as annualPlan from '../domain/annual-plan';
import * as cloud from '../domain/cloud';
import * as labels from '../domain/labels';
import * as lifecycle from '../domain/lifecycle';
import * as monitoring from '../domain/monitoring';
import * as payments from '../domain/payments';
import * as periods from '../domain/periods';
import * as policy from '../domain/policy';
import * as project from '../domain/project';
import * as records from '../domain/records';
import * as refusal from '../domain/refusal';
import * as text from '../domain/text';

/**
 * Preloaded last (worker/workflow-bundle.ts), after zod and the domain modules were loaded into the
 * worker's shared V8 context.
 *
 * The SDK deep-freezes every preloaded module so that no workflow can change what another sees. zod,
 * though, finishes a schema on first use — it binds `safeParse` onto the instance and caches what it
 * derives — and a frozen schema throws ("Cannot define property safeParse, object is not extensible").
 * Those caches come out the same whichever workflow fills them and hold no workflow's state. So:
 * - the domain's own data (profiles, labels, constants) is deep-frozen here, as the SDK would, with the
 *   zod schemas left out: a workflow that wrote to a profile would fail every test that runs it;
 * - then every shared module's record is frozen shallowly, which the SDK's deep freeze takes as done.
 */
function freezeAllButSchemas(value: unknown, seen: WeakSet<object>): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
  seen.add(value);
  if (typeof value === 'object' && '_zod' in value) return;
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
    freezeAllButSchemas(descriptor?.get ? descriptor.get.call(value) : descriptor?.value, seen);
  }
  Object.freeze(value);
}

const seen = new WeakSet<object>();
for (const moduleExports of [annualPlan, cloud, labels, lifecycle, monitoring, payments, periods, policy, project, records, refusal, text]) freezeAllButSchemas(moduleExports, seen);

declare const __webpack_modules__: Record<string, unknown>;
const moduleCache = (globalThis as { __webpack_module_cache__?: Record<string, object | undefined> }).__webpack_module_cache__;
for (const id of Object.keys(__webpack_modules__)) {
  const record = moduleCache?.[id];
  if (record) Object.freeze(record);
}
