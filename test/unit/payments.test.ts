import { paymentInputSchema, paymentPurposeSchema, paymentRefusal, paymentRefusalMessage, type OpenPaymentBlock, type PaymentPurpose } from '../../domain/payments';
import { paymentBlockScopeSchema } from '../../domain/records';

const block = (scope: OpenPaymentBlock['scope'], rule: string, since = '2027-05-01T02:00:00.000Z'): OpenPaymentBlock => ({ scope, reason: `${scope} reason`, rule, since });
const omFunding = block('omFunding', '000 §15');
const allPayments = block('allPayments', '001 §28');
const projectFunds = block('projectFunds', '003 §31');

describe('paymentRefusal: which open money block refuses a payment of which purpose', () => {
  const purposes = paymentPurposeSchema.options;

  it('lets every purpose through when no block is open (a lifted block is not passed, so it forbids nothing)', () => {
    for (const purpose of purposes) expect(paymentRefusal([], purpose)).toBeNull();
  });

  it.each(purposes)('an O&M block refuses O&M money only: %s', (purpose) => {
    expect(paymentRefusal([omFunding], purpose)).toBe(purpose === 'om' ? omFunding : null);
  });

  it.each(purposes)('a forfeiture of every remaining payment refuses %s', (purpose) => {
    expect(paymentRefusal([allPayments], purpose)).toBe(allPayments);
  });

  it.each(purposes)("a block of the project's further money refuses %s", (purpose) => {
    expect(paymentRefusal([projectFunds], purpose)).toBe(projectFunds);
  });

  it('covers every scope a block may have', () => {
    const table = Object.fromEntries(paymentBlockScopeSchema.options.map((scope) => [scope, purposes.filter((purpose) => paymentRefusal([block(scope, 'x')], purpose) !== null)]));
    expect(table).toEqual({ omFunding: ['om'], allPayments: purposes, projectFunds: purposes });
  });

  it('answers the first open block that forbids the purpose, in the order given (oldest first)', () => {
    const older = block('projectFunds', '003 §31', '2027-01-01T00:00:00.000Z');
    const newer = block('allPayments', '001 §28', '2027-06-01T00:00:00.000Z');
    expect(paymentRefusal([older, newer], 'progress')).toBe(older);
    expect(paymentRefusal([newer, older], 'progress')).toBe(newer);
    // An O&M block first does not stop a construction payment; the next block that forbids it answers.
    expect(paymentRefusal([omFunding, newer], 'final')).toBe(newer);
    expect(paymentRefusal([omFunding, newer], 'om')).toBe(omFunding);
  });

  it('refuses every purpose under a scope it does not know (written by a newer version): no money on a guess', () => {
    const unknown = { ...omFunding, scope: 'somethingNew' } as unknown as OpenPaymentBlock;
    for (const purpose of purposes) expect(paymentRefusal([unknown], purpose)).toBe(unknown);
  });

  it("says why: the block's scope, rule, date and reason", () => {
    expect(paymentRefusalMessage(projectFunds, 'advance', 'P-1')).toBe('No advance payment may be made to project P-1 while its money is blocked (projectFunds, 003 §31, since 2027-05-01): projectFunds reason');
  });
});

describe('paymentInputSchema', () => {
  const valid = { purpose: 'progress' as PaymentPurpose, amountFen: 1_200_000, voucherRef: ' PZ-2027-001 ', paidOn: '2027-05-10' };

  it('takes a payment with or without a contract, trimming the voucher', () => {
    expect(paymentInputSchema.parse(valid)).toEqual({ ...valid, voucherRef: 'PZ-2027-001' });
    expect(paymentInputSchema.parse({ ...valid, contractId: 'HT-2027.01' })).toMatchObject({ contractId: 'HT-2027.01' });
  });

  it('refuses a purpose it does not know, money that is not a positive whole number of fen, an empty voucher, a bad date, an odd contract id and extra fields', () => {
    const fails = (body: unknown) => paymentInputSchema.safeParse(body).error?.issues.map((issue) => issue.path.join('.') || issue.code);
    expect(fails({ ...valid, purpose: 'bonus' })).toEqual(['purpose']);
    expect(fails({ ...valid, amountFen: 0 })).toEqual(['amountFen']);
    expect(fails({ ...valid, amountFen: 12.5 })).toEqual(['amountFen']);
    expect(fails({ ...valid, voucherRef: '   ' })).toEqual(['voucherRef']);
    expect(fails({ ...valid, voucherRef: 'x'.repeat(101) })).toEqual(['voucherRef']);
    expect(fails({ ...valid, paidOn: '2027-02-30' })).toEqual(['paidOn']);
    expect(fails({ ...valid, contractId: 'HT 1/2' })).toEqual(['contractId']);
    expect(fails({ ...valid, payee: 'someone' })).toEqual(['unrecognized_keys']);
  });
});
