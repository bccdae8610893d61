import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Search attributes that make projects findable in the Temporal UI (e.g. `ProjectStage = "approval"`).
 * worker/namespace-setup.ts registers them on every start.
 */
export const projectStageKey = defineSearchAttributeKey('ProjectStage', SearchAttributeType.KEYWORD);
export const jurisdictionKey = defineSearchAttributeKey('ProjectJurisdiction', SearchAttributeType.KEYWORD);
export const planYearKey = defineSearchAttributeKey('ProjectPlanYear', SearchAttributeType.INT);
export const unitKey = defineSearchAttributeKey('ProjectUnit', SearchAttributeType.KEYWORD);
export const investmentFenKey = defineSearchAttributeKey('ProjectInvestmentFen', SearchAttributeType.INT);

/** A government-cloud resource's stage (CloudResource workflows, e.g. `CloudStage = "opening"`). */
export const cloudStageKey = defineSearchAttributeKey('CloudStage', SearchAttributeType.KEYWORD);

/** Every search attribute the app registers (the cloud's too: one list for the namespace set-up and the test servers). */
export const projectSearchAttributeKeys = [projectStageKey, jurisdictionKey, planYearKey, unitKey, investmentFenKey, cloudStageKey];
