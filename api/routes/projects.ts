import { Router } from 'express';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ProjectState } from '../../domain/lifecycle';
import { lifecycleInputFor, profileFor } from '../../domain/policy';
import { isLateProposal, lateProposalMessage } from '../../domain/policy/intake';
import { projectIdSchema, projectProposalSchema } from '../../domain/project';
import { projectStateQuery } from '../../workflows/messages';
import { ProjectLifecycle } from '../../workflows/project-lifecycle';
import { jurisdictionKey, investmentFenKey, planYearKey, unitKey } from '../../workflows/search-attributes';
import { parseOr422, problem } from '../problems';

export function projectsRouter(client: Client, taskQueue: string): Router {
  const router = Router();

  router.post('/projects', async (req, res) => {
    const proposal = parseOr422(projectProposalSchema, req.body, 'body');
    const profile = profileFor(proposal.jurisdiction);
    if (isLateProposal(profile, proposal, new Date())) {
      throw problem.rule(lateProposalMessage(profile, proposal.planYear), profile.intakeCutoff!.rule, '/body/planKind');
    }
    try {
      await client.workflow.start(ProjectLifecycle, {
        taskQueue,
        workflowId: proposal.projectId,
        args: [lifecycleInputFor(proposal)],
        // A project id names one project forever: a closed project's id is not reused either.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        workflowIdConflictPolicy: 'FAIL',
        typedSearchAttributes: [
          { key: jurisdictionKey, value: proposal.jurisdiction },
          { key: planYearKey, value: proposal.planYear },
          { key: unitKey, value: proposal.unit },
          { key: investmentFenKey, value: proposal.investmentFen },
        ],
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        throw problem.conflict(`Project ${proposal.projectId} is already registered`, {
          projectId: proposal.projectId,
          location: `/projects/${proposal.projectId}`,
        });
      }
      throw error;
    }
    const state = await queryState(client, proposal.projectId);
    res.status(201).location(`/projects/${proposal.projectId}`).json(state);
  });

  router.get('/projects/:projectId', async (req, res) => {
    const projectId = parseOr422(projectIdSchema, req.params.projectId, 'path');
    res.json(await queryState(client, projectId));
  });

  return router;
}

async function queryState(client: Client, projectId: string): Promise<ProjectState> {
  try {
    return await client.workflow.getHandle(projectId).query(projectStateQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw problem.notFound(`No project ${projectId}`);
    throw error;
  }
}
