import { as } from '../helpers/api';
import { useKillableDevServer } from '../helpers/dev-server-process';
import { eventually, pendingTimerIds } from '../helpers/lifecycle';
import { aProposal } from '../helpers/proposals';

/**
 * Durability on the real dev server: a registered project survives SIGKILL of the Temporal server,
 * because the server persists to its SQLite file and the project's state is rebuilt from history.
 */
describe('a project survives SIGKILL of the Temporal dev server', () => {
  const context = useKillableDevServer();

  it('still has the project, its stage and its history after a restart on the same database', async () => {
    const { server, connection, client, app } = context;

    const proposal = aProposal();
    const created = (await as(app, 'unit').post('/projects').send(proposal).expect(201)).body;
    expect(created.stage).toBe('preTechnicalReview');
    // Let the review open (its due date comes from the calendar activity) before the crash.
    let before = created;
    while (!before.pending?.dueDate) before = (await as(app, 'unit').get(`/projects/${proposal.projectId}`).expect(200)).body;

    await server.kill('SIGKILL');
    await server.start();

    // The same API process and worker reconnect on their own.
    const after = await as(app, 'unit').get(`/projects/${proposal.projectId}`).expect(200);
    expect(after.body).toEqual(before);
    const description = await client.workflow.getHandle(proposal.projectId).describe();
    expect(description.status.name).toBe('RUNNING');
    // Retention was raised from the dev server's 1-day default and persisted with the namespace.
    const namespace = await connection.workflowService.describeNamespace({ namespace: 'default' });
    expect(Number(namespace.config?.workflowExecutionRetentionTtl?.seconds)).toBeGreaterThanOrEqual(30 * 86_400);

    // The review's SLA timer (the reminder on its due date) is pending in the persisted history — the
    // activity interrupted by the crash is retried first, then the workflow arms the timer.
    const timers = await eventually(() => pendingTimerIds(client, proposal.projectId), (ids) => ids.length > 0, 'the re-armed SLA timer', 90_000);
    expect(timers).toHaveLength(1);

    // The open review is decided after the crash and the project moves on.
    const decided = await as(app, 'technicalReviewer').post(`/projects/${proposal.projectId}/decisions`).send({ stage: 'preTechnicalReview', decision: 'approve' }).expect(200);
    expect(decided.body.stage).toBe('annualPlan');

    // The restarted system keeps working: a new project registers, the old id is still taken.
    const next = aProposal();
    await as(app, 'unit').post('/projects').send(next).expect(201);
    await as(app, 'unit').post('/projects').send(proposal).expect(409);
  });
});
