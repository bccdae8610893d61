import { z } from 'zod';
import { paragraphText } from './text';
import { fenSchema, jurisdictionSchema, projectIdSchema } from './project';
import { actorSchema } from './lifecycle';

/** The annual plan of one jurisdiction and plan year (001 §5–7). */
export const planProposalSchema = z.object({
  projectId: projectIdSchema,
  name: z.string(),
  unit: z.string(),
  investmentFen: fenSchema,
  enrolledAt: z.string(),
});
export type PlanProposal = z.infer<typeof planProposalSchema>;

export const compilePlanInputSchema = z
  .object({
    included: z.array(projectIdSchema).max(5000),
    excluded: z.array(z.object({ projectId: projectIdSchema, reason: paragraphText(2000) }).strict()).max(5000),
    actor: actorSchema,
  })
  .strict();
export type CompilePlanInput = z.input<typeof compilePlanInputSchema>;

/** The two approvals after compilation: the leading group, then the executive meeting (001 §6). */
export const planApprovalStepSchema = z.enum(['leadingGroup', 'executiveMeeting']);
export const planApprovalInputSchema = z
  .object({ step: planApprovalStepSchema, approved: z.boolean(), reasons: z.array(paragraphText(2000)).max(50).default([]), actor: actorSchema })
  .strict();
export type PlanApprovalInput = z.input<typeof planApprovalInputSchema>;

export const annualPlanStateSchema = z.object({
  planId: z.string(),
  jurisdiction: jurisdictionSchema,
  planYear: z.number().int(),
  phase: z.enum(['intake', 'compilation', 'leadingGroup', 'executiveMeeting', 'published', 'returned']),
  intakeClosesAt: z.string(),
  proposals: z.array(planProposalSchema),
  included: z.array(projectIdSchema),
  excluded: z.array(z.object({ projectId: projectIdSchema, reason: z.string() })),
});
export type AnnualPlanState = z.infer<typeof annualPlanStateSchema>;

export const annualPlanId = (jurisdiction: string, planYear: number) => `annual-plan-${jurisdiction}-${planYear}`;
