import { projectProposalSchema } from '../../domain/project';
import { decideInputSchema } from '../../domain/lifecycle';
import { acceptedInput } from '../../workflows/refusal';
import { aProposal } from '../helpers/proposals';

/**
 * Names, units and reasons are normalised in the shared schemas: what looks the same is the same, and
 * what cannot be stored faithfully is refused, naming the field.
 */
const proposalWith = (fields: Record<string, unknown>) => projectProposalSchema.safeParse({ ...aProposal(), ...fields });
const refusedFields = (result: ReturnType<typeof proposalWith>) => (result.success ? [] : result.error.issues.map((issue) => issue.path.join('.')));

describe('text people type', () => {
  it.each([
    ['a name of zero-width spaces only', { name: '\u200B\u200B\u200B' }, 'name'],
    ['a right-to-left override in a name', { name: '智慧城管\u202Egnp.exe' }, 'name'],
    ['NUL in a name', { name: 'a\u0000b' }, 'name'],
    ['ESC in a funding source', { fundingSource: '市本级\u001B[31m财政' }, 'fundingSource'],
    ['a lone surrogate in a name', { name: 'a\uD800b' }, 'name'],
    ['a unit with a trailing zero-width space (another unit that looks the same)', { unit: '益阳市城市管理局\u200B' }, 'unit'],
    ['a line break in a unit', { unit: '益阳市\n城市管理局' }, 'unit'],
  ])('refuses %s, naming the field', (_what, fields, field) => {
    expect(refusedFields(proposalWith(fields))).toEqual([field]);
  });

  it('keeps what it accepts in one form: NFC, no surrounding spaces; line breaks stay in long texts', () => {
    const parsed = projectProposalSchema.parse({ ...aProposal(), name: '  Cafe\u0301 平台 ', summary: '第一行\n第二行\t说明' });
    expect(parsed.name).toBe('Café 平台');
    expect(parsed.name).toBe(parsed.name.normalize('NFC'));
    expect(parsed.summary).toBe('第一行\n第二行\t说明');
  });

  it('takes Windows line ends in long texts as line ends', () => {
    expect(projectProposalSchema.parse({ ...aProposal(), summary: '第一行\r\n第二行' }).summary).toBe('第一行\n第二行');
  });

  it('never makes a running project fail on replay: an input older rules accepted is taken as recorded', () => {
    const recorded = { stage: 'approval', decision: 'approve', reasons: ['旧规则下接受的理由\u200B'], experts: [], refusalGrounds: [], actor: { id: 'r', role: 'reviewOffice' } };
    expect(decideInputSchema.safeParse(recorded).success).toBe(false);
    expect(acceptedInput(decideInputSchema, recorded)).toBe(recorded);
    // A valid input gets the schema's reading (defaults, normalised text).
    expect(acceptedInput(decideInputSchema, { stage: 'approval', decision: 'approve', actor: { id: 'r', role: 'reviewOffice' } })).toMatchObject({ reasons: [], experts: [] });
  });

  it('applies to reasons given with a decision as well', () => {
    const decision = { stage: 'approval', decision: 'reject', actor: { id: 'r', role: 'reviewOffice' } };
    expect(decideInputSchema.safeParse({ ...decision, reasons: ['\u200B'] }).success).toBe(false);
    expect(decideInputSchema.parse({ ...decision, reasons: ['  需补充密码应用方案\n（见附件） '] }).reasons).toEqual(['需补充密码应用方案\n（见附件）']);
  });
});
