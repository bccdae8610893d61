// Bundle entry for the worker: every workflow type the task queue serves.
export { ProjectLifecycle } from './project-lifecycle';
export { RetentionRelease } from './retention';
export { AnnualPlan, OpenAnnualIntake } from './annual-plan';
export { CloudResource } from './cloud-resource';
export { MonthlyMonitoring } from './monthly-monitoring';
