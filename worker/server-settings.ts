/**
 * The dev server's share of config/temporal-dynamic.yaml, as `temporal server start-dev` arguments:
 * an activity scheduled by a workflow task is handed to the worker at once (eager execution), which is
 * most of what a reviewer's decision waited for. scripts/up.sh passes the same to the product's server
 * (test/unit/temporal-dynamic-config.test.ts holds the three to the YAML).
 */
export const devServerDynamicConfigArgs = [
  '--dynamic-config-value', 'system.enableActivityEagerExecution=true',
  '--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=true',
];
