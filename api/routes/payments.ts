import { z } from 'zod';
import type { PaymentRow, Store } from '../../activities/storage/store';
import { paymentInputSchema, paymentPurposeSchema, paymentRefusal, paymentRefusalMessage, type PaymentInput, type PaymentPurpose } from '../../domain/payments';
import { businessDateOf } from '../../domain/records';
import type { Principal } from '../auth';
import { existingProjectRow } from '../project-scope';
import { problem } from '../problems';
import type { RouteSpec } from '../route-spec';

const paymentSchema = z.object({
  projectId: z.string(), contractId: z.string().nullable(), purpose: paymentPurposeSchema, amountFen: z.number(), voucherRef: z.string(),
  paidOn: z.string(), recordedBy: z.string(), recordedAt: z.string(),
});
const toPayment = (row: PaymentRow): z.infer<typeof paymentSchema> => ({
  projectId: row.project_id, contractId: row.contract_id, purpose: row.purpose as PaymentPurpose, amountFen: Number(row.amount_fen), voucherRef: row.voucher_ref,
  paidOn: row.paid_date, recordedBy: row.recorded_by, recordedAt: row.recorded_at,
});

/**
 * Refuses (422, naming the block's article and reason, at `pointer`) a payment of `purpose` to a project
 * while one of its money blocks forbids it: O&M money (000 §15, 000 §22, 001 §35), every remaining
 * payment (001 §28) or all further project money (003 §31). Checked before anything is written or asked.
 */
export async function refuseBlockedPayment(store: Store, projectId: string, purpose: PaymentPurpose, pointer: string, paidOn?: string): Promise<void> {
  const block = paymentRefusal(await store.openPaymentBlocksOf(projectId), purpose, paidOn);
  if (block) throw problem.rule(paymentRefusalMessage(block, purpose, projectId), block.rule, pointer);
}

/** The payments finance records against a project, and who may read them. */
export function paymentRoutes(store: Store): RouteSpec[] {
  /** The project, or 404: for a unit, another unit's project is answered exactly as a missing one. */
  const scopedProject = (principal: Principal, projectId: string) => existingProjectRow(store, principal, projectId);

  return [
    {
      method: 'post',
      path: '/projects/:projectId/payments',
      summary:
        'Record a payment made to the project, with its voucher (once per voucher). Refused while a money block forbids its purpose: ' +
        'O&M money (000 §15, 000 §22, 001 §35), every remaining payment (001 §28), all further project money (003 §31)',
      roles: ['finance'],
      body: paymentInputSchema,
      success: { status: 201, description: 'Recorded; the same voucher again answers 200 with the payment as first recorded', schema: paymentSchema },
      problems: { 404: 'No such project', 409: 'The voucher is already recorded with other particulars', 422: 'Invalid payment, a contract not filed for the project, a date after today, or refused by a money block (its rule named)' },
      handler: async ({ res, principal, params, body }) => {
        const projectId = params.projectId!;
        await scopedProject(principal, projectId);
        const payment = body as PaymentInput;
        // A voucher already recorded is no new payment: it answers as recorded, whatever was blocked since;
        // the same voucher with other particulars is a mistake, not a replay.
        const recorded = await store.paymentByVoucher(projectId, payment.voucherRef);
        if (recorded) {
          const known = toPayment(recorded);
          if (known.purpose !== payment.purpose || known.amountFen !== payment.amountFen || known.paidOn !== payment.paidOn || known.contractId !== (payment.contractId ?? null)) {
            throw problem.conflict(`Voucher ${payment.voucherRef} is already recorded for project ${projectId} with other particulars`, { payment: known });
          }
          res.locals.successStatus = 200;
          return known;
        }
        if (payment.contractId !== undefined) {
          const contract = await store.contractScope(payment.contractId);
          if (contract?.project_id !== projectId) throw problem.field('/body/contractId', `${payment.contractId} is not a contract filed for project ${projectId}`);
        }
        // The record of a payment made: its date cannot lie after today (Asia/Shanghai). Not an article: the integrity of the record.
        const today = businessDateOf(new Date());
        if (payment.paidOn > today) throw problem.field('/body/paidOn', `a payment cannot be recorded as paid on ${payment.paidOn}, a date after today (${today})`);
        await refuseBlockedPayment(store, projectId, payment.purpose, '/body/purpose', payment.paidOn);
        const { created, stored } = await store.recordPayment({ ...payment, projectId, recordedBy: principal.id, recordedAt: new Date().toISOString() });
        // Sent twice at once: the second finds the first's row, as a replay does.
        if (!created) res.locals.successStatus = 200;
        return toPayment(stored);
      },
    },
    {
      method: 'get',
      path: '/projects/:projectId/payments',
      summary: "The project's recorded payments, in the order they were paid. A unit sees its own projects'",
      roles: ['finance', 'audit', 'auditor', 'reviewOffice', 'unit'],
      success: { status: 200, description: 'Payments', schema: z.object({ items: z.array(paymentSchema) }) },
      problems: { 404: 'No such project', 422: 'Malformed project id' },
      handler: async ({ principal, params }) => {
        await scopedProject(principal, params.projectId!);
        return { items: (await store.paymentsOf(params.projectId!)).map(toPayment) };
      },
    },
  ];
}
