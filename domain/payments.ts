import { z } from 'zod';
import { contractPayloadSchema } from './lifecycle';
import { positiveFenSchema, projectIdSchema } from './project';
import { businessDateOf, businessDateSchema, isoInstantSchema, paymentBlockScopeSchema } from './records';

/**
 * What a payment to a project is for: 预付款 (advance), 进度款 (progress), 尾款 (final), 质保金
 * (retention) and 运维费 (O&M). The purpose decides which money block refuses it.
 */
export const paymentPurposeSchema = z.enum(['advance', 'progress', 'final', 'retention', 'om']);
export type PaymentPurpose = z.infer<typeof paymentPurposeSchema>;

/** A payment finance records against a project, with the voucher that proves it went out. */
export const paymentInputSchema = z
  .object({
    /** The filed contract it pays, when it pays one (a project may have several lots). */
    contractId: contractPayloadSchema.shape.contractId.optional(),
    purpose: paymentPurposeSchema,
    amountFen: positiveFenSchema,
    /** The payment voucher (付款凭证): one voucher is one payment of a project, however often it is sent. */
    voucherRef: z.string().trim().min(1).max(100),
    paidOn: businessDateSchema,
  })
  .strict();
export type PaymentInput = z.infer<typeof paymentInputSchema>;

/** The payment as the system of record keeps it: who recorded it, and when. */
export const paymentRecordSchema = paymentInputSchema.extend({
  projectId: projectIdSchema,
  recordedBy: z.string().min(1),
  recordedAt: isoInstantSchema,
});
export type PaymentRecord = z.input<typeof paymentRecordSchema>;

export type PaymentBlockScope = z.infer<typeof paymentBlockScopeSchema>;

/** A money block in force on a project (the table payment_blocks, lifted_at null). */
export interface OpenPaymentBlock {
  scope: PaymentBlockScope;
  reason: string;
  rule: string;
  since: string;
}

/**
 * The purposes each block scope forbids.
 * - omFunding: O&M money only. A project counted as under construction until its archive is filed gets
 *   no O&M money (000 §15), nor a system closed as idle (000 §22), nor one whose data-sharing deficiency
 *   is open (001 §35); its construction money (advance to retention) is not what those articles stop.
 * - allPayments: after an acceptance failed again or was not rectified every remaining payment is
 *   forfeited (001 §28), the retention included.
 * - projectFunds: while a problem found in supervision stays unrectified no further project money of any
 *   kind is arranged (003 §31 不再安排后续项目资金).
 */
const FORBIDDEN: Record<PaymentBlockScope, readonly PaymentPurpose[]> = {
  omFunding: ['om'],
  allPayments: paymentPurposeSchema.options,
  projectFunds: paymentPurposeSchema.options,
};

/**
 * The first open block (in the order given: oldest first from the store) that forbids a payment of this
 * purpose, or null when the payment may be made. Only blocks in force are passed: a lifted one forbids
 * nothing.
 */
export function paymentRefusal<B extends OpenPaymentBlock>(openBlocks: readonly B[], purpose: PaymentPurpose, paidOn?: string): B | null {
  // A payment made before a block began is recorded: the block stops money from its start (Asia/Shanghai date) on.
  const inForce = paidOn === undefined ? openBlocks : openBlocks.filter((block) => businessDateOf(new Date(block.since)) <= paidOn);
  // A scope this version does not know (written by a newer one) forbids everything: no money goes out on a guess.
  return inForce.find((block) => (FORBIDDEN[block.scope] ?? paymentPurposeSchema.options).includes(purpose)) ?? null;
}

/** The sentence a refused payment answers with: the block's reason, its article and since when. */
export function paymentRefusalMessage(block: OpenPaymentBlock, purpose: PaymentPurpose, projectId: string): string {
  return `No ${purpose} payment may be made to project ${projectId} while its money is blocked (${block.scope}, ${block.rule}, since ${block.since.slice(0, 10)}): ${block.reason}`;
}
