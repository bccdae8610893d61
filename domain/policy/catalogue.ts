import { z } from 'zod';
import { stageLabels } from '../labels';
import { projectStageSchema, type ProjectStage } from '../project';
import { CONFIGURABLE_VALUE, isStatutory, SERVICE_TARGET, yearlyReportsOf, type CloudPolicy, type PolicyProfile, type ProjectFacts, type StageDefinition } from './profile';

/**
 * The rules catalogue: every rule the engine enforces, per jurisdiction, generated from the policy
 * profiles (never written by hand), with the article it cites, the stage it guards, the projects it
 * applies to and the tests whose names cite its article. Pure: the caller passes the test titles.
 */


export const ruleEntrySchema = z.object({
  /** Stable key, e.g. `yiyang:approval:clock`. */
  id: z.string(),
  jurisdiction: z.string(),
  profileVersion: z.string(),
  /** The article, e.g. `001 §14`, or the service-target label where no seed sets the figure. */
  article: z.string(),
  statutory: z.boolean(),
  /** The stage the rule guards, or null for a rule of the whole project (intake, retention…). */
  stage: z.string().nullable(),
  stageLabel: z.string().nullable(),
  kind: z.string(),
  /** What the engine enforces, in English. */
  statement: z.string(),
  /** The catalogue scenarios (see each profile) whose path carries the rule; every one: "all projects". */
  appliesTo: z.array(z.string()),
  /** Tests whose names cite the article exactly: `file › title`. */
  provenBy: z.array(z.string()),
});
export type RuleEntry = z.infer<typeof ruleEntrySchema>;

export const rulesCatalogueSchema = z.object({
  profiles: z.array(z.object({ jurisdiction: z.string(), version: z.string(), seed: z.string(), scenarios: z.array(z.string()) })),
  rules: z.array(ruleEntrySchema),
});
export type RulesCatalogue = z.infer<typeof rulesCatalogueSchema>;

export interface TestTitle {
  /** Path of the test file, relative to the project root. */
  file: string;
  /** The test's name with its describe blocks, as Jest prints it. */
  title: string;
}

type Draft = Pick<RuleEntry, 'article' | 'stage' | 'kind' | 'statement'> & { detail?: string };

const CLOUD_SCOPE = 'government-cloud resources';

const days = (n: number) => `${n} working day${n === 1 ? '' : 's'}`;

/** The rules one stage definition carries. */
function stageRules(def: StageDefinition): Draft[] {
  const stage = def.id;
  switch (def.kind) {
    case 'review': {
      const rules: Draft[] = [
        {
          stage, kind: 'review', article: def.rule,
          statement: `decided by ${def.role}: ${def.decisions.join(' / ')}; a rejection or revision request gives its reasons; a rejection ${{ end: 'ends the project', rectify: 'opens rectification', record: 'stands on record' }[def.onReject]}`,
        },
      ];
      if (def.clock) {
        const onRevision = def.clock.onRevision === 'pause' ? 'pauses while the unit revises and resumes with the days left' : 'starts again from zero after a revision';
        rules.push({
          stage, kind: 'clock', article: def.clock.rule,
          statement: `decided within ${days(def.clock.workingDays)}${def.clock.onRevisionRule ? '' : `; the clock ${onRevision}`}; reminders before, a breach after, never an approval by the clock`,
        });
        if (def.clock.onRevisionRule) rules.push({ stage, kind: 'clockOnRevision', article: def.clock.onRevisionRule, statement: `the review clock ${onRevision}` });
      }
      if (def.revisionWorkingDays) {
        rules.push({ stage, kind: 'revisionPeriod', article: def.revisionWorkingDays.rule, statement: `the unit revises within ${days(def.revisionWorkingDays.workingDays)}` });
      }
      if (def.expertsRequired) {
        rules.push({ stage, kind: 'experts', article: def.expertsRequired.rule, statement: 'the decision names the experts of the review meeting' });
      }
      if (def.clockPausesForRectification) {
        rules.push({ stage, kind: 'clockOnRectification', article: def.clockPausesForRectification.rule, statement: 'the clock does not count the rectification: it resumes with the working days left' });
      }
      if (def.refusalGrounds) {
        rules.push({ stage, kind: 'refusalGrounds', article: def.refusalGrounds.rule, statement: `a refusal cites its grounds from: ${def.refusalGrounds.codes.join(', ')}` });
      }
      for (const document of def.approvalRequiresDocuments ?? []) {
        rules.push({ stage, kind: 'approvalDocument', detail: document.kind, article: document.rule, statement: `approved only once the unit has handed in: ${document.label}` });
      }
      if (def.approvalSetsAcceptanceDue) {
        rules.push({ stage, kind: 'acceptanceDue', article: def.approvalSetsAcceptanceDue.rule, statement: 'the approval sets the date by which the project is to be accepted' });
      }
      if (def.approvalSetsTenderCeiling) {
        rules.push({ stage, kind: 'tenderCeiling', article: def.approvalSetsTenderCeiling.rule, statement: 'the approval fixes the reviewed tender ceiling price' });
      }
      if (def.decisionReport) {
        rules.push({ stage, kind: 'decisionReport', article: def.decisionReport.rule, statement: `the decision hands in, as an uploaded document: ${def.decisionReport.label}` });
      }
      if (def.coSigners) {
        rules.push({ stage, kind: 'coSigners', article: def.coSigners.rule, statement: `signed by ${[def.role, ...def.coSigners.roles].join(', then ')}; it passes once all have approved, and any one's rejection is the stage's rejection` });
      }
      return rules;
    }
    case 'submission': {
      const rules: Draft[] = [{ stage, kind: 'submission', article: def.rule, statement: `the construction unit submits "${def.action}"` }];
      if (def.deadline && 'months' in def.deadline) {
        rules.push({ stage, kind: 'deadline', article: def.deadline.rule, statement: `within ${def.deadline.months} months, or the project goes back to ${def.deadline.backTo}` });
      } else if (def.deadline && 'acceptanceDue' in def.deadline) {
        rules.push({ stage, kind: 'deadline', article: def.deadline.rule, statement: 'by the acceptance date the approval set, or as a deferral moved it; a miss is a breach, and the unit is pointed to the deferral' });
      } else if (def.deadline) {
        rules.push({ stage, kind: 'deadline', article: def.deadline.rule, statement: `within ${days(def.deadline.workingDays)}, or it is flagged: ${def.deadline.flag}` });
      }
      for (const document of def.documents ?? []) {
        rules.push({ stage, kind: 'document', detail: document.kind, article: document.rule, statement: `carries, as an uploaded document: ${document.label}` });
      }
      if (def.notBefore) {
        rules.push({
          stage, kind: 'earliestDate', detail: `${def.notBefore.months}months`, article: def.notBefore.rule,
          statement: `refused before ${def.notBefore.months} months after ${def.notBefore.after} (allowed from the day after the period's last day)`,
        });
      }
      if (def.designAgencyRequired) {
        rules.push({ stage, kind: 'designAgency', article: def.designAgencyRequired.rule, statement: 'the preliminary design names the professional design agency that wrote it' });
      }
      for (const precondition of def.preconditions ?? []) {
        rules.push({ stage, kind: 'precondition', detail: precondition.id, article: precondition.rule, statement: `declared met before the application: ${precondition.label}` });
      }
      if (def.notify) rules.push({ stage, kind: 'filing', article: def.notify.rule, statement: `the filing is sent to ${def.notify.role}` });
      if (def.withinTenderCeiling) rules.push({ stage, kind: 'tenderCeiling', article: def.withinTenderCeiling.rule, statement: 'the contract sum may not exceed the reviewed tender ceiling price' });
      if (def.supervision) rules.push({ stage, kind: 'supervision', article: def.supervision.rule, statement: 'the project is under engineering supervision: the contract filing names the supervision firm engaged' });
      if (def.endsProject) rules.push({ stage, kind: 'endsProject', article: def.endsProject.rule, statement: `the project ends once filed: ${def.endsProject.reason}` });
      return rules;
    }
    case 'plan':
      return [{ stage, kind: 'plan', article: def.rule, statement: 'waits for the annual plan: included, or excluded with the reason' }];
    case 'implementation': {
      const { changes } = def;
      if (!changes) return [{ stage, kind: 'implementation', article: def.rule, statement: 'implementation until the unit reports go-live (the seed has no change procedure)' }];
      const rules: Draft[] = [{
        stage, kind: 'changes', article: changes.rule,
        statement: changes.procedure === 'approval'
          ? `a change of content is approved or rejected (with reasons) by ${changes.role}`
          : `a change of content is filed with ${changes.role} (备案), not approved`,
      }];
      if (changes.grounds) rules.push({ stage, kind: 'changeGrounds', article: changes.grounds.rule, statement: `a change is asked for on one of the grounds: ${changes.grounds.codes.join(', ')}` });
      if (changes.expertReview) rules.push({ stage, kind: 'changeExperts', article: changes.expertReview.rule, statement: 'a change is approved after an expert review: the approval names the experts' });
      return rules;
    }
  }
}

/** The rules outside the stage path that one scenario's project meets. */
function projectRules(profile: PolicyProfile, facts: ProjectFacts, path: StageDefinition[]): Draft[] {
  const rules: Draft[] = [];
  const ceiling = profile.selfImplementationCeilingFen;
  if (profile.intakeCutoff && facts.planKind === 'annual' && !(ceiling !== null && facts.investmentFen <= ceiling)) {
    const { month, day, rule } = profile.intakeCutoff;
    rules.push({ stage: null, kind: 'intake', article: rule, statement: `an annual-plan proposal is due by ${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')} 23:59:59 (Asia/Shanghai) of the year before the plan year` });
  }
  const { min, max } = profile.omPeriod;
  if (min) {
    rules.push({ stage: null, kind: 'omPeriod', detail: 'min', article: min.rule, statement: `a filed contract agrees at least ${min.years} years of O&M${min.exceptionWithLegalBasis ? ', or less with a stated legal basis, recorded' : ''}` });
  }
  if (max) rules.push({ stage: null, kind: 'omPeriod', detail: 'max', article: max.rule, statement: `a filed contract agrees at most ${max.years} years of O&M` });
  if (profile.omServiceContracts && path.some((def) => def.kind === 'review' && def.finalAcceptance)) {
    const { maxYears, rule } = profile.omServiceContracts;
    rules.push({ stage: 'operations', kind: 'omServiceContract', article: rule, statement: `after the warranty, an O&M service contract filed during O&M runs at most ${maxYears} years` });
  }
  for (const scope of profile.outOfScope ?? []) {
    rules.push({ stage: null, kind: 'outOfScope', detail: scope.field, article: scope.rule, statement: `registration is refused: ${scope.statement}` });
  }
  if (profile.procurementGate) {
    rules.push({ stage: 'procurement', kind: 'procurementGate', article: profile.procurementGate.rule, statement: `no tender, procurement or contract before ${profile.procurementGate.afterStage} has passed` });
  }
  if (profile.termination) {
    const { role, duringStages, grounds, rule } = profile.termination;
    rules.push({ stage: 'implementation', kind: 'termination', article: rule, statement: `${role === 'unit' ? 'the unit' : role} may terminate during ${duringStages.join(', ')} on the grounds ${grounds.join(', ')}, with a written explanation` });
  }
  if (profile.postponement) {
    const { role, duringStages, rule } = profile.postponement;
    rules.push({ stage: null, kind: 'postponement', article: rule, statement: `${role} postpones the implementation of a project whose spending lags (during ${duringStages.join(', ')}), refusing its path's steps until it resumes it` });
  }
  if (profile.problems && path.some((def) => def.kind === 'submission' && def.action === 'contract')) {
    const { role, kinds, rule } = profile.problems;
    rules.push({
      stage: null, kind: 'problems', article: rule,
      statement: `${role} records a problem found in supervision (${kinds.join(', ')}) with the date to rectify by; not rectified by then, or rectified short, it blocks the project's further money (finance sees the block, payments are refused) until ${role} closes it`,
    });
  }
  const acceptance = path.find((def) => def.kind === 'review' && def.finalAcceptance);
  const stock = Boolean(facts.flags.stockSystem && profile.stockSystems);
  if (!acceptance && !stock) return rules;
  if (stock) {
    rules.push({ stage: 'operations', kind: 'stockSystem', article: profile.stockSystems!.rule, statement: 'a system already built is registered straight into operation, without a construction path, and managed like any other from then on' });
  }
  if (acceptance) rules.push(...acceptanceRules(profile, acceptance.id));
  return [...rules, ...operationRules(profile, facts)];
}

/** The rules from final acceptance to O&M: rectification, forfeiture, deferral, archive, asset registration, post-evaluation, retention. */
function acceptanceRules(profile: PolicyProfile, acceptanceStage: string): Draft[] {
  const rules: Draft[] = [];
  const { rectification, forfeiture } = profile.acceptance;
  rules.push({
    stage: acceptanceStage, kind: 'rectification', article: rectification.rule,
    statement: 'a failed acceptance opens rectification by the date the deciding body sets with its decision',
  });
  if (forfeiture) {
    rules.push({ stage: acceptanceStage, kind: 'forfeiture', article: forfeiture.rule, statement: `failing ${forfeiture.afterFailures} times, or not rectifying by the date, withholds every remaining payment of the project` });
  }
  if (profile.acceptanceDeferral) {
    rules.push({ stage: acceptanceStage, kind: 'deferral', article: profile.acceptanceDeferral.rule, statement: `a project that cannot be accepted by its date applies for a deferral with its reasons; ${profile.acceptanceDeferral.role} decides` });
  }
  const archive = profile.archiveFiling;
  if (archive) {
    rules.push({
      stage: 'archiveFiling', kind: 'archiveFiling', article: archive.rule,
      statement: [
        archive.workingDays === null ? 'the archive is filed after acceptance' : `the archive is filed within ${days(archive.workingDays)} of acceptance`,
        archive.omFundingBlockedUntilFiled ? 'until it is filed the project counts as under construction and its O&M money is blocked (finance sees the block)' : null,
      ].filter(Boolean).join('; '),
    });
  }
  if (profile.assetRegistration) {
    rules.push({ stage: 'assetRegistration', kind: 'assetRegistration', article: profile.assetRegistration.rule, statement: 'after completion the finished system is registered as an asset: the unit hands in its asset register (uploaded document)' });
  }
  if (profile.postEvaluation) {
    rules.push({ stage: 'postEvaluation', kind: 'postEvaluation', article: profile.postEvaluation.rule, statement: `post-evaluation by ${profile.postEvaluation.role}` });
  }
  if (profile.retention) {
    const { withheldBasisPoints, tranches, rule: retentionRule } = profile.retention;
    rules.push({
      stage: null, kind: 'retention', article: retentionRule,
      statement: `${withheldBasisPoints / 100}% of the contract sum is withheld and released in tranches of ${tranches
        .map((t) => `${t.basisPoints / 100}% ${t.yearsAfterAcceptance} year${t.yearsAfterAcceptance === 1 ? '' : 's'} after acceptance if the ${t.condition === 'postEvaluation' ? 'post-evaluation' : 'yearly assessment'} passed`)
        .join(', ')}`,
    });
  }
  return rules;
}

/** The rules of a system in operation: deficiencies, monitoring, yearly reports, evaluation, closure and retirement. */
function operationRules(profile: PolicyProfile, facts: ProjectFacts): Draft[] {
  const rules: Draft[] = [];
  if (profile.developmentRestriction) {
    const { role, grounds, rule, stopsOmFunding, exceptionApprovedBy } = profile.developmentRestriction;
    rules.push({
      stage: 'operations', kind: 'developmentRestriction', article: rule,
      statement: `${role} records a system in service deficient (${grounds.join(', ')}); until it confirms the rectification the unit's new registrations${profile.cloud ? ' and cloud applications' : ''} (new, rebuilt or extended systems) are refused${exceptionApprovedBy ? ` unless ${exceptionApprovedBy} approves and registers a necessary one` : ''}${stopsOmFunding ? ', and the system gets no O&M money (finance sees the block)' : ''}`,
    });
  }
  if (profile.monitoring) {
    const { rule, reportedBy, failingMonths, rectificationWindow } = profile.monitoring;
    rules.push({ stage: 'operations', kind: 'monitoring', article: rule, statement: `every system in operation is checked each month (its declared health endpoint, over HTTP) or reported by hand by ${reportedBy}; failing months put it on the forced-exit path: the unit is told, its O&M money is blocked (finance sees the block) until it recovers inside the window; without recovery it is retired with its data disposition` });
    rules.push({ stage: 'operations', kind: 'monitoringFailingMonths', article: failingMonths.rule, statement: `${failingMonths.count} consecutive failing months open the forced-exit path` });
    rules.push({ stage: 'operations', kind: 'monitoringWindow', article: rectificationWindow.rule, statement: `the rectification window of a forced exit is ${rectificationWindow.months} months` });
  }
  for (const report of yearlyReportsOf(profile, facts)) {
    rules.push({ stage: 'operations', kind: 'yearlyReport', detail: report.kind, article: report.rule, statement: `${report.label} is handed in by ${report.filedBy.join(' or ')}; missing at an O&M year's end, it is flagged` });
    if (report.periodRule !== report.rule) rules.push({ stage: 'operations', kind: 'yearlyReportPeriod', detail: report.kind, article: report.periodRule, statement: `${report.label} is due every O&M year: a configurable round, the article sets no period` });
  }
  const { evaluation, closure, retirement } = profile.operations;
  rules.push({ stage: 'operations', kind: 'evaluation', article: evaluation.rule, statement: `the yearly O&M evaluation is recorded by ${evaluation.role}${evaluation.copyTo ? `, copied to ${evaluation.copyTo}` : ''}` });
  if (evaluation.periodRule) rules.push({ stage: 'operations', kind: 'evaluationPeriod', article: evaluation.periodRule, statement: 'the evaluation is due each O&M year: a configurable round, the seed sets no period' });
  if (closure) {
    rules.push({ stage: 'operations', kind: 'closure', article: closure.rule, statement: `${closure.role} closes an idle system by letter${closure.stopsOmFunding ? '; its O&M funding stops and finance is told' : ''}` });
  }
  if (retirement) {
    rules.push({ stage: 'operations', kind: 'retirement', article: retirement.rule, statement: `the unit retires a system with its data disposition (backed up, migrated or destroyed), filed with ${retirement.filedWith}` });
  }
  return rules;
}

/** The government cloud's rules (004 cloud measures): they govern cloud applications, not projects. */
function cloudRules(cloud: CloudPolicy): Draft[] {
  const kind = 'cloud';
  return [
    { stage: null, kind, detail: 'lifecycle', article: cloud.rule, statement: 'a cloud resource is applied for, reviewed, opened, deployed, resized and exited, each step recorded' },
    { stage: null, kind, detail: 'application', article: cloud.application.rule, statement: `city units apply directly; a county's units apply through ${cloud.application.countyApplicant}` },
    { stage: null, kind, detail: 'review', article: cloud.review.rule, statement: `${cloud.authority} reviews the application; then experts size the resources` },
    { stage: null, kind, detail: 'reviewClock', article: cloud.review.clock.rule, statement: `the review is decided within ${days(cloud.review.clock.workingDays)}` },
    { stage: null, kind, detail: 'responsibilityLetter', article: cloud.responsibilityLetter.rule, statement: 'the unit signs the responsibility letter and the opening confirmation before resources are opened' },
    { stage: null, kind, detail: 'opening', article: cloud.opening.rule, statement: `${cloud.provider} opens the resources within ${days(cloud.opening.workingDays)} of the notice; later is a breach, escalated` },
    { stage: null, kind, detail: 'deployment', article: cloud.deployment.rule, statement: `the unit deploys and cuts over within ${days(cloud.deployment.workingDays)}, or the system exits` },
    { stage: null, kind, detail: 'fallback', article: cloud.fallback.rule, statement: `the old system is kept at least ${cloud.fallback.months} months after cut-over` },
    { stage: null, kind, detail: 'resize', article: cloud.resize.rule, statement: 'an increase is reviewed and sized like an application; a decrease is approved by the authority and carried out by the provider' },
    { stage: null, kind, detail: 'exit', article: cloud.exit.rule, statement: `after an approved exit the unit migrates its data within ${days(cloud.exit.migrationWorkingDays)}; then unit and provider erase the data and the resources are reclaimed` },
  ];
}

/**
 * The articles a test name cites, exactly as written: "… (001 §11, §26)" cites 001 §11 and 001 §26;
 * "001 §26(3)(4)" cites 001 §26(3) and §26(4) (not §26 as a whole); "000 §8(2)2" cites 000 §8(2)2;
 * "004 cloud §13" cites the cloud measures' §13 (seed 004 holds two measures); "002 (二), (七)" cites the
 * interpretation's sections (二) and (七) (seed 002 has no articles).
 */
export function citedArticles(title: string): Set<string> {
  const cited = new Set<string>();
  for (const group of title.matchAll(/(?<![0-9])(00[0-4](?: cloud)?)((?:\s*(?:[,、/，；]|and)?\s*§\d+(?:\(\d+\))*\d*)+)/g)) {
    const seed = group[1]!;
    for (const [, article, parts, item] of group[2]!.matchAll(/§(\d+)((?:\(\d+\))*)(\d*)/g)) {
      const subItems = parts!.match(/\(\d+\)/g) ?? [];
      if (subItems.length === 0) cited.add(`${seed} §${article}${item}`);
      // A trailing item number belongs to the last sub-item only: §26(2)(3)2 is §26(2) and §26(3)2.
      subItems.forEach((part, index) => cited.add(`${seed} §${article}${part}${index === subItems.length - 1 ? item : ''}`));
    }
  }
  // Seed 002 is a policy interpretation cited by its numbered sections: "002 (二)", "002 (五), (七)".
  for (const group of title.matchAll(/(?<![0-9])002((?:\s*(?:[,、/，；]|and)?\s*\([一二三四五六七八九十]+\))+)/g)) {
    for (const [, section] of group[1]!.matchAll(/\(([一二三四五六七八九十]+)\)/g)) cited.add(`002 (${section})`);
  }
  return cited;
}

/** The catalogue of the given profiles; `tests` are every test of the suite, by file and name. */
export function rulesCatalogue(profiles: readonly PolicyProfile[], tests: readonly TestTitle[]): RulesCatalogue {
  const citations = tests.map((test) => ({ ref: `${test.file} › ${test.title}`, articles: citedArticles(test.title) }));
  const rules: RuleEntry[] = [];
  for (const profile of profiles) {
    const drafts = new Map<string, Draft & { appliesTo: string[] }>();
    const add = (draft: Draft, scenario: string) => {
      const key = JSON.stringify([draft.stage, draft.kind, draft.detail, draft.article, draft.statement]);
      const known = drafts.get(key) ?? { ...draft, appliesTo: [] };
      if (!known.appliesTo.includes(scenario)) known.appliesTo.push(scenario);
      drafts.set(key, known);
    };
    const scenarios = profile.catalogueScenarios.map((s) => s.label);
    for (const scenario of profile.catalogueScenarios) {
      const path = profile.stages(scenario.facts);
      for (const draft of [...path.flatMap(stageRules), ...projectRules(profile, scenario.facts, path)]) add(draft, scenario.label);
    }
    if (profile.cloud) for (const draft of cloudRules(profile.cloud)) add(draft, CLOUD_SCOPE);

    const baseId = (draft: Draft) => [profile.jurisdiction, draft.stage ?? 'project', draft.kind, ...(draft.detail ? [draft.detail] : [])].join(':');
    const uses = new Map<string, number>();
    for (const draft of drafts.values()) uses.set(baseId(draft), (uses.get(baseId(draft)) ?? 0) + 1);
    for (const draft of drafts.values()) {
      const base = baseId(draft);
      const statutory = isStatutory(draft.article);
      rules.push({
        // A stage with two variants of a rule (the expert and the unit's acceptance) tells them apart by article.
        id: uses.get(base) === 1 ? base : `${base}@${draft.article}`,
        jurisdiction: profile.jurisdiction,
        profileVersion: profile.version,
        article: draft.article,
        statutory,
        stage: draft.stage,
        stageLabel: draft.stage ? (stageLabels[draft.stage as ProjectStage] ?? null) : null,
        kind: draft.kind,
        statement: draft.statement,
        appliesTo: draft.appliesTo.includes(CLOUD_SCOPE) ? [CLOUD_SCOPE] : describeScope(draft.appliesTo, scenarios),
        provenBy: statutory ? citations.filter((c) => c.articles.has(draft.article)).map((c) => c.ref) : [],
      });
    }
  }
  // Whole-project rules first, then by the stages' order in the lifecycle.
  const stageOrder = (stage: string | null) => (stage === null ? -1 : projectStageSchema.options.indexOf(stage as ProjectStage));
  rules.sort((a, b) => profiles.findIndex((p) => p.jurisdiction === a.jurisdiction) - profiles.findIndex((p) => p.jurisdiction === b.jurisdiction) || stageOrder(a.stage) - stageOrder(b.stage));
  return {
    profiles: profiles.map((p) => ({ jurisdiction: p.jurisdiction, version: p.version, seed: p.seed, scenarios: p.catalogueScenarios.map((s) => s.label) })),
    rules,
  };
}

/** "all projects", "all projects except …", or the scenarios one by one, whichever is shortest to read. */
function describeScope(applies: string[], scenarios: string[]): string[] {
  if (applies.length === scenarios.length) return ['all projects'];
  const except = scenarios.filter((scenario) => !applies.includes(scenario));
  return except.length < applies.length ? [`all projects except ${except.join('; ')}`] : applies;
}

/** The catalogue as Markdown, for docs/RULES-CATALOGUE.md. */
export function rulesCatalogueMarkdown(catalogue: RulesCatalogue): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '# Rules catalogue',
    '',
    'Generated from the policy profiles (`domain/policy/`) by `npm run rules:catalogue`; do not edit by hand.',
    'The test suite fails when this file and the profiles disagree. The same catalogue is served as JSON by `GET /rules`.',
    `A figure that no seed sets is labelled "${SERVICE_TARGET}" or "${CONFIGURABLE_VALUE}" and is configurable.`,
    '"Applies to" names the example projects of each profile (its scenarios) whose path carries the rule.',
    'The last column lists the tests whose names cite the rule\'s article exactly; the test named asserts the behaviour under that article.',
    '',
  ];
  for (const profile of catalogue.profiles) {
    lines.push(`## ${profile.jurisdiction} — profile ${profile.version} (seed ${profile.seed})`, '');
    lines.push(`Scenarios: ${profile.scenarios.join('; ')}.`, '');
    lines.push('| rule | article | stage | applies to | what is enforced | tests citing the article |', '|---|---|---|---|---|---|');
    for (const rule of catalogue.rules.filter((r) => r.jurisdiction === profile.jurisdiction)) {
      lines.push(
        `| \`${rule.id}\` | ${cell(rule.article)} | ${rule.stage ? `${rule.stage} ${rule.stageLabel ?? ''}`.trim() : '—'} | ${cell(rule.appliesTo.join('; '))} | ${cell(rule.statement)} | ${rule.provenBy.length ? rule.provenBy.map((ref) => cell(ref)).join('<br>') : rule.statutory ? '**none**' : 'configurable'} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
}
