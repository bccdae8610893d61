import { condition, log, setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import type { Refusal } from '../../domain/refusal';
import {
  changeDecisionInputSchema,
  changeRequestInputSchema,
  closeInputSchema,
  decideInputSchema,
  deficiencyInputSchema,
  deferralDecisionInputSchema,
  deferralRequestInputSchema,
  evaluationInputSchema,
  omServiceContractInputSchema,
  postponementInputSchema,
  problemInputSchema,
  problemReportInputSchema,
  problemVerdictInputSchema,
  rectificationConfirmedInputSchema,
  yearlyReportInputSchema,
  healthEndpointInputSchema,
  healthReportInputSchema,
  submitInputSchema,
  SYSTEM_INTEGRITY,
  terminateInputSchema,
  type ProjectState,
} from '../../domain/lifecycle';
import {
  calendarUpdatedSignal,
  closeProjectUpdate,
  confirmRectificationUpdate,
  declareHealthEndpointUpdate,
  monthlyCheckDueSignal,
  reportHealthUpdate,
  decideChangeUpdate,
  decideDeferralUpdate,
  decideProblemRectificationUpdate,
  decideUpdate,
  fileOmServiceContractUpdate,
  fileYearlyReportUpdate,
  planDecisionSignal,
  postponementUpdate,
  projectStateQuery,
  registeredUpdate,
  recordDeficiencyUpdate,
  recordEvaluationUpdate,
  recordProblemUpdate,
  reportProblemRectificationUpdate,
  requestChangeUpdate,
  requestDeferralUpdate,
  submitUpdate,
  terminateUpdate,
} from '../messages';
import { acceptedInput, enforce, refused } from '../refusal';
import { confirmRectification, recordDeficiency } from './deficiency';
import { decideDeferral, requestDeferral } from './deferral';
import { fileOmServiceContract } from './om-service-contracts';
import { postponeOrResume } from './postponement';
import { decideProblemRectification, recordProblem, reportProblemRectification } from './problems';
import { fileYearlyReport } from './yearly-reports';
import { checkForMonth, declareHealthEndpoint, reportHealth } from './monitoring';
import { monthlyCheckDueSchema } from '../../domain/monitoring';
import type { LifecycleRun } from './run';
import {
  validateChangeDecision,
  validateChangeRequest,
  validateClose,
  validateDecision,
  validateDeficiency,
  validateDeferralDecision,
  validateDeferralRequest,
  validateEvaluation,
  validateOmServiceContract,
  validatePostponement,
  validateProblem,
  validateProblemReport,
  validateProblemVerdict,
  validateRectificationConfirmed,
  validateYearlyReport,
  validateHealthEndpoint,
  validateHealthReport,
  validateSubmission,
  validateTermination,
} from './validators';

/**
 * The project's messages. Each update's validator is a pure function (./validators.ts) — a refusal
 * never enters history; an accepted input is left in the inbox for the stage runner, and the handler
 * answers with the state once the runner has applied that very input and the project awaits its next
 * action (or has ended), so a caller can act on the answer at once.
 */
export function registerHandlers(run: LifecycleRun): void {
  const { inbox } = run;

  function accepted<T>(enqueue: (raw: T, ticket: number) => unknown): (raw: T) => Promise<ProjectState> {
    return async (raw: T) => {
      const ticket = ++run.tickets.last;
      enqueue(raw, ticket);
      await condition(() => (run.tickets.completed.has(ticket) && run.state.pending !== null) || run.state.status === 'ended');
      run.tickets.completed.delete(ticket);
      return run.state;
    };
  }

  /**
   * An update that may come at any stage, so its own handler records it (deferrals, deficiencies,
   * problems …): the validator refuses what the rules forbid; the handler records the accepted input
   * and answers with the state.
   */
  function recordedByHandler<S extends z.ZodType, A>(
    update: UpdateDefinition<ProjectState, [A]>,
    schema: S,
    record: (run: LifecycleRun, input: z.infer<S>) => Promise<void>,
    validate: (view: LifecycleRun, raw: unknown, now: Date) => Refusal | null,
  ): void {
    setHandler(update, async (raw) => {
      await record(run, acceptedInput(schema, raw));
      return run.state;
    }, { validator: (raw) => enforce(validate(run, raw, new Date())) });
  }

  setHandler(projectStateQuery, () => run.state);
  // The registration's answer, once: a later call would only add to a history meant to last years.
  setHandler(registeredUpdate, () => ((run.registrationAnswered = true), run.state), {
    validator: () => {
      if (run.input.continued !== undefined || run.registrationAnswered) throw refused('conflict', SYSTEM_INTEGRITY, 'the project is registered already: GET the project for its state');
    },
  });

  setHandler(decideUpdate, accepted((raw, ticket) => (inbox.decision = { ...acceptedInput(decideInputSchema, raw), ticket })), {
    validator: (raw) => enforce(validateDecision(run, raw, new Date())),
  });
  setHandler(submitUpdate, accepted((raw, ticket) => (inbox.submission = { ...acceptedInput(submitInputSchema, raw), ticket })), {
    validator: (raw) => enforce(validateSubmission(run, raw, new Date())),
  });
  setHandler(requestChangeUpdate, accepted((raw, ticket) => inbox.changeRequests.push({ ...acceptedInput(changeRequestInputSchema, raw), ticket })), {
    validator: (raw) => enforce(validateChangeRequest(run, raw)),
  });
  setHandler(decideChangeUpdate, accepted((raw, ticket) => inbox.changeDecisions.push({ ...acceptedInput(changeDecisionInputSchema, raw), ticket })), {
    validator: (raw) => enforce(validateChangeDecision(run, raw)),
  });
  setHandler(terminateUpdate, accepted((raw, ticket) => (inbox.termination = { ...acceptedInput(terminateInputSchema, raw), ticket })), {
    validator: (raw) => enforce(validateTermination(run, raw)),
  });
  setHandler(recordEvaluationUpdate, accepted((raw, ticket) => (inbox.evaluation = { ...acceptedInput(evaluationInputSchema, raw), ticket })), {
    validator: (raw) => enforce(validateEvaluation(run, raw)),
  });
  setHandler(closeProjectUpdate, accepted((raw, ticket) => (inbox.close = { ...acceptedInput(closeInputSchema, raw), ticket })), {
    validator: (raw) => enforce(validateClose(run, raw)),
  });

  // Deferrals come at any stage before the acceptance application: their handlers record them (./deferral.ts).
  recordedByHandler(requestDeferralUpdate, deferralRequestInputSchema, requestDeferral, validateDeferralRequest);
  recordedByHandler(decideDeferralUpdate, deferralDecisionInputSchema, decideDeferral, validateDeferralDecision);

  // O&M service contracts (004 §13), a deficient system and its rectification (004 §17): recorded by their handlers.
  recordedByHandler(fileOmServiceContractUpdate, omServiceContractInputSchema, fileOmServiceContract, validateOmServiceContract);
  recordedByHandler(recordDeficiencyUpdate, deficiencyInputSchema, recordDeficiency, validateDeficiency);
  recordedByHandler(confirmRectificationUpdate, rectificationConfirmedInputSchema, confirmRectification, validateRectificationConfirmed);

  // Lagging spending (003 §12), problems found in supervision (003 §31), yearly reports (003 §28, §33): recorded by their handlers.
  recordedByHandler(postponementUpdate, postponementInputSchema, postponeOrResume, validatePostponement);
  recordedByHandler(recordProblemUpdate, problemInputSchema, recordProblem, validateProblem);
  recordedByHandler(reportProblemRectificationUpdate, problemReportInputSchema, reportProblemRectification, validateProblemReport);
  recordedByHandler(decideProblemRectificationUpdate, problemVerdictInputSchema, decideProblemRectification, validateProblemVerdict);
  recordedByHandler(fileYearlyReportUpdate, yearlyReportInputSchema, fileYearlyReport, validateYearlyReport);

  // Monitoring of the system in operation (002 (二)): the endpoint, rechecks and reports by hand, and the monthly round's call.
  recordedByHandler(declareHealthEndpointUpdate, healthEndpointInputSchema, declareHealthEndpoint, validateHealthEndpoint);
  recordedByHandler(reportHealthUpdate, healthReportInputSchema, reportHealth, validateHealthReport);
  setHandler(monthlyCheckDueSignal, async (raw) => {
    // A signal has no validator: a malformed call (never sent by the round) is ignored, and a check that
    // fails for good (bad input to an activity) is logged — neither fails the project's workflow.
    const due = monthlyCheckDueSchema.safeParse(raw);
    if (!due.success) return;
    await checkForMonth(run, due.data).catch((error: unknown) => log.warn('monthly check failed', { period: due.data.period, error: String(error) }));
  });

  setHandler(planDecisionSignal, (decision) => {
    inbox.plan = decision;
  });
  setHandler(calendarUpdatedSignal, () => {
    inbox.calendarChanged = true;
  });
}
