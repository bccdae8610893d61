import { z } from 'zod';
import { jurisdictionIds, profileFor } from './policy';
import { lineText, paragraphText } from './text';

/**
 * One schema per concept; the API validates with it, the workflow receives its inferred type, and
 * storage (issue 3) persists the same shape. Names follow ../shared/domain/GLOSSARY.md.
 */

/** The jurisdictions with a registered policy profile (domain/policy/index.ts). Yiyang (001) is the default. */
export const jurisdictionSchema = z.enum(jurisdictionIds);
export type Jurisdiction = z.infer<typeof jurisdictionSchema>;

/** Money is integer fen (0.01 yuan) everywhere; never a float. */
export const fenSchema = z
  .number()
  .int('must be a whole number of fen (0.01 yuan)')
  .nonnegative('must not be negative')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');
export type Fen = z.infer<typeof fenSchema>;
/** An amount in fen as yuan with its fen, grouped: 2,900,000.01. */
export const yuanAmount = (fen: Fen): string => `${Math.trunc(fen / 100).toLocaleString('en-US')}.${String(fen % 100).padStart(2, '0')}`;
/** An amount that must be more than nothing (an investment, a contract sum): one message per problem. */
export const positiveFenSchema = z
  .number()
  .int('must be a whole number of fen (0.01 yuan)')
  .positive('must be greater than zero')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');

/** Project ids become Temporal workflow ids and URL segments, so they are kept to a safe alphabet. */
export const projectIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/, 'must be 3–64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit');

/** Facts declared at registration that change the project's path (see policy/profile.ts). */
export const projectFlagsSchema = z
  .object({
    /** 等保 assessment required (001 §26(4)). */
    mlpsRequired: z.boolean().optional(),
    /** 密评 required (001 §26(4)). */
    cryptoAssessmentRequired: z.boolean().optional(),
    /** Third-party software testing required (001 §26(4)). */
    softwareTestingRequired: z.boolean().optional(),
    /** Classified-system testing required (001 §26(4)). */
    classifiedSystemTestingRequired: z.boolean().optional(),
    /** A major project (重大项目): 6-month trial run in Nanfeng (000 §12). */
    major: z.boolean().optional(),
    /** State/provincial funding (001 §27). */
    stateOrProvincialFunding: z.boolean().optional(),
    /** City matching funds besides the state/provincial funds: pre-acceptance and recognition (001 §27). */
    cityMatchingFunds: z.boolean().optional(),
    /** A county (市、区) or development-zone project under the city's measures: county approval, then the city's technical review (004 §8 ¶3). */
    county: z.boolean().optional(),
    /** The unit runs its work on a third party's information system (003 §34(1)). */
    thirdPartySystems: z.boolean().optional(),
    /** Upper-level or self-raised funds (003 §34(2)). */
    upperOrSelfFunds: z.boolean().optional(),
    /** A system already built (存量信息化项目): registered straight into operation (002 (一)). */
    stockSystem: z.boolean().optional(),
    /** A key project (重点信息化项目): a third party evaluates it (002 (八)). */
    keyProject: z.boolean().optional(),
  })
  .strict();

/** The URL the monitoring calls with GET: any 2xx answer within the timeout is healthy. */
export const healthEndpointSchema = z
  .string()
  .trim()
  .max(500)
  .url('must be an absolute URL')
  .refine((url) => /^https?:\/\//i.test(url), 'must be an http:// or https:// URL')
  // The URL is kept in the record and shown to everyone who reads the project: no credentials in it.
  .refine((url) => !/^https?:\/\/[^/?#]*@/i.test(url), 'must not carry a user name or password')
  // The worker calls it: never a link-local address (a cloud's metadata service answers there).
  .refine((url) => !/^https?:\/\/(169\.254\.|\[fe80:)/i.test(url), 'must not be a link-local address (169.254.0.0/16, fe80::/10)');

export const projectProposalSchema = z
  .object({
    projectId: projectIdSchema,
    name: lineText(200),
    /** The construction unit (建设单位) that owns the project. */
    unit: lineText(100),
    jurisdiction: jurisdictionSchema.default('yiyang'),
    /** The plan year the proposal is for (proposals are due 30 September of the year before, 001 §5). */
    planYear: z.number().int().min(2000).max(2100),
    /** Total investment estimate (投资估算), in fen. */
    investmentFen: positiveFenSchema,
    fundingSource: lineText(200),
    summary: paragraphText(5000, 0).optional(),
    /** The annual plan (001 §5) or, for late/urgent projects, the supplementary plan (001 §7). */
    planKind: z.enum(['annual', 'supplementary']).default('annual'),
    /** For the supplementary plan: the state or provincial requirement that makes it urgent (001 §7). */
    supplementaryBasis: paragraphText(1000).optional(),
    flags: projectFlagsSchema.default({}),
    /**
     * A unit barred from new systems by an open data-sharing deficiency may still have a necessary one
     * that cannot share its data under the rules, approved by the review office with the departments
     * concerned (001 §35): the review office registers it, stating here why it cannot share and why it is necessary.
     */
    sharingException: paragraphText(2000).optional(),
    /** A county project's county, which acts for it (004 §8 ¶3): set by the API from the unit registry, never taken from the body. */
    county: lineText(100).optional(),
    /** The system's health endpoint, called by the monthly monitoring (002 (二)); a stock system declares it at registration. */
    healthEndpoint: healthEndpointSchema.optional(),
  })
  .strict()
  .superRefine((proposal, ctx) => {
    const profile = profileFor(proposal.jurisdiction);
    // The plan kinds and what they require are the jurisdiction's (its profile's annualPlan).
    const plan = profile.annualPlan;
    if (proposal.planKind === 'supplementary' && !plan?.supplementary) {
      ctx.addIssue({ code: 'custom', path: ['planKind'], message: `${proposal.jurisdiction} has no supplementary plan: this jurisdiction has no such procedure` });
    } else if (proposal.planKind === 'supplementary' && plan?.supplementary?.basisRequired && !proposal.supplementaryBasis) {
      ctx.addIssue({ code: 'custom', path: ['supplementaryBasis'], message: `${plan.supplementary.rule}: a proposal outside the annual plan must state the requirement that makes it urgent` });
    }
    if (proposal.flags.stockSystem && !profile.stockSystems) {
      ctx.addIssue({ code: 'custom', path: ['flags', 'stockSystem'], message: `${proposal.jurisdiction} registers no stock systems: seed ${profile.seed} has no such procedure` });
    } else if (proposal.flags.stockSystem && profile.monitoring && !proposal.healthEndpoint) {
      ctx.addIssue({ code: 'custom', path: ['healthEndpoint'], message: `${profile.monitoring.rule}: a system in operation is monitored every month; a stock system declares its health endpoint at registration` });
    }
    if (proposal.flags.keyProject && !profile.keyProjects) {
      ctx.addIssue({ code: 'custom', path: ['flags', 'keyProject'], message: `${proposal.jurisdiction} designates no key projects: seed ${profile.seed} has no such procedure` });
    }
    if (proposal.healthEndpoint && !profile.monitoring) {
      ctx.addIssue({ code: 'custom', path: ['healthEndpoint'], message: `${proposal.jurisdiction} has no monitoring of systems: seed ${profile.seed} has no such procedure` });
    }
    const facts = { investmentFen: proposal.investmentFen, planKind: proposal.planKind, flags: proposal.flags };
    for (const scope of profile.outOfScope ?? []) {
      if (scope.applies(facts)) ctx.addIssue({ code: 'custom', path: [scope.field], message: `${scope.rule}: ${scope.statement}` });
    }
  });
export type ProjectProposal = z.infer<typeof projectProposalSchema>;

/** Stage ids (GLOSSARY.md); the sequence per jurisdiction lives in the policy profiles. */
export const projectStageSchema = z.enum([
  // intake
  'selfImplementation',
  'preTechnicalReview',
  'annualPlan',
  'jointReview',
  'supplementaryApproval',
  'leadingGroupDecision',
  'governmentApproval',
  // Nanfeng review stages (000 §8)
  'initialReview',
  'upperReview',
  'reviewOpinion',
  // Ji'an (004 §7–8, §15)
  'urgencyReview',
  'countyApproval',
  'feasibilityStudy',
  'reformReview',
  'technicalScheme',
  'technicalReview',
  // Suqian's six review steps (002 (五)); budgetReview and approval are shared
  'libraryRegistration',
  'schemePreReview',
  'listManagement',
  'preImplementationReview',
  // Bijie (003 §5–20)
  'demandScheme',
  'thirdPartyReview',
  'libraryEntry',
  'implementationPlan',
  'servicePlan',
  'servicePlanReview',
  'cityServicePlanReview',
  // design and approval
  'feasibilityApproval',
  'designDocuments',
  'schemeReview',
  'approval',
  'implementationStart',
  'budgetReview',
  'procurement',
  'threePartyContract',
  'implementation',
  // acceptance
  'dataSharingApplication',
  'dataSharingReview',
  'preliminaryAcceptance',
  'acceptanceApplication',
  'preAcceptance',
  'finalAcceptance',
  // after acceptance
  'archiveFiling',
  'postEvaluation',
  'assetRegistration',
  'operations',
  // ends
  'filed',
  'excluded',
  'rejected',
  'terminated',
  'forfeited',
  'closed',
  'retired',
]);
export type ProjectStage = z.infer<typeof projectStageSchema>;
