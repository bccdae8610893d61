import fc from 'fast-check';
import { allProfiles, profileByVersion } from '../../domain/policy';
import { intakeCutoff, isLateForAnnualPlan, openPlanYear } from '../../domain/policy/intake';
import { nanfengProfile } from '../../domain/policy/nanfeng';
import type { ProjectFacts } from '../../domain/policy/profile';
import { retentionSchedule } from '../../domain/policy/retention';
import { EXPERT_THRESHOLD_FEN, FEASIBILITY_THRESHOLD_FEN, SELF_IMPLEMENTATION_CEILING_FEN, yiyangProfile } from '../../domain/policy/yiyang';

const facts = (investmentFen: number, overrides: Partial<ProjectFacts> = {}): ProjectFacts => ({ investmentFen, planKind: 'annual', flags: {}, ...overrides });
const ids = (f: ProjectFacts) => yiyangProfile.stages(f).map((s) => s.id);

describe('Yiyang thresholds (Civil Code art. 1259: 以上/以下 include the number)', () => {
  it('001 §8: exactly 50万 is exempt from plan and approval only — contract filed with the review office, implemented, accepted before use (001 §26); one fen more is planned', () => {
    const path = yiyangProfile.stages(facts(SELF_IMPLEMENTATION_CEILING_FEN));
    expect(path.map((s) => s.id)).toEqual(['procurement', 'implementation', 'acceptanceApplication', 'finalAcceptance']);
    expect(path[0]).toMatchObject({ action: 'contract', notify: { role: 'reviewOffice', rule: '001 §8' }, rule: '001 §8' });
    expect(path[3]).toMatchObject({ role: 'unit', finalAcceptance: true, rule: '001 §26(1)' });
    expect(ids(facts(SELF_IMPLEMENTATION_CEILING_FEN + 1))[0]).toBe('preTechnicalReview');
  });

  it('a project registered under yiyang@2022 keeps its path: ≤ 50万 ended when its contract was filed', () => {
    expect(profileByVersion('yiyang@2022').stages(facts(SELF_IMPLEMENTATION_CEILING_FEN)).map((s) => s.id)).toEqual(['selfImplementation']);
    expect(profileByVersion('yiyang@2022').stages(facts(FEASIBILITY_THRESHOLD_FEN, { planKind: 'supplementary' })).map((s) => s.id).slice(0, 2)).toEqual(['jointReview', 'supplementaryApproval']);
  });

  it('001 §27: pre-acceptance needs state/provincial funds and city matching funds; the city then recognises the upper body\'s acceptance', () => {
    const both = yiyangProfile.stages(facts(EXPERT_THRESHOLD_FEN, { flags: { stateOrProvincialFunding: true, cityMatchingFunds: true } }));
    expect(both.find((s) => s.id === 'preAcceptance')).toMatchObject({ role: 'reviewOffice', rule: '001 §27' });
    expect(both.find((s) => s.id === 'finalAcceptance')).toMatchObject({ role: 'reviewOffice', rule: '001 §27', clock: null });
    const upperOnly = yiyangProfile.stages(facts(EXPERT_THRESHOLD_FEN, { flags: { stateOrProvincialFunding: true } }));
    expect(upperOnly.map((s) => s.id)).not.toContain('preAcceptance');
    expect(upperOnly.find((s) => s.id === 'finalAcceptance')).toMatchObject({ rule: '001 §26(2)' });
  });

  it('exactly 200万 takes the stricter branch: expert scheme review, preliminary acceptance, trial run, expert acceptance (001 §11, §26)', () => {
    const stages = yiyangProfile.stages(facts(EXPERT_THRESHOLD_FEN));
    const scheme = stages.find((s) => s.id === 'schemeReview');
    expect(scheme).toMatchObject({ expertsRequired: { rule: '001 §11' } });
    expect(stages.map((s) => s.id)).toContain('preliminaryAcceptance');
    expect(stages.find((s) => s.id === 'finalAcceptance')).toMatchObject({ role: 'reviewOffice', clock: { workingDays: 10 } });
    const below = yiyangProfile.stages(facts(EXPERT_THRESHOLD_FEN - 1));
    expect(below.find((s) => s.id === 'schemeReview')).not.toHaveProperty('expertsRequired.rule');
    expect(below.map((s) => s.id)).not.toContain('preliminaryAcceptance');
    expect(below.find((s) => s.id === 'finalAcceptance')).toMatchObject({ role: 'unit', rule: '001 §26(1)' });
  });

  it('exactly 1000万 needs the feasibility study approved by reform (001 §10)', () => {
    expect(ids(facts(FEASIBILITY_THRESHOLD_FEN))).toContain('feasibilityApproval');
    expect(ids(facts(FEASIBILITY_THRESHOLD_FEN - 1))).not.toContain('feasibilityApproval');
  });

  it('001 §7: the supplementary plan takes the joint review\'s opinion, the leading group\'s decision and the city government\'s approval — three recorded decisions', () => {
    const path = yiyangProfile.stages(facts(FEASIBILITY_THRESHOLD_FEN, { planKind: 'supplementary' }));
    expect(path.slice(0, 3).map((s) => [s.id, s.kind, s.rule])).toEqual([
      ['jointReview', 'review', '001 §7'],
      ['leadingGroupDecision', 'review', '001 §7'],
      ['governmentApproval', 'review', '001 §7'],
    ]);
    expect(path.map((s) => s.id)).not.toContain('annualPlan');
  });

  it('names every acceptance precondition that applies (001 §26(3)(4))', () => {
    const application = yiyangProfile.stages(facts(EXPERT_THRESHOLD_FEN, { flags: { mlpsRequired: true, cryptoAssessmentRequired: true } })).find((s) => s.id === 'acceptanceApplication');
    expect(application).toMatchObject({ preconditions: [{ id: 'dataSharing' }, { id: 'mlpsAssessment' }, { id: 'cryptoAssessment' }] });
  });

  it('every path is well formed: unique stage ids, a final acceptance, a back-reference that exists', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000_000 }),
        fc.constantFrom<'annual' | 'supplementary'>('annual', 'supplementary'),
        fc.record({ major: fc.boolean(), mlpsRequired: fc.boolean(), stateOrProvincialFunding: fc.boolean(), cityMatchingFunds: fc.boolean() }),
        fc.constantFrom(...allProfiles),
        (investmentFen, planKind, flags, profile) => {
          const stages = profile.stages({ investmentFen, planKind, flags });
          const stageIds = stages.map((s) => s.id);
          if (new Set(stageIds).size !== stageIds.length) return false;
          // Every path of the current profiles ends in the one final acceptance (001 §26: accepted before use).
          const last = stages[stages.length - 1]!;
          if (last.kind !== 'review' || !last.finalAcceptance || stages.filter((s) => s.kind === 'review' && s.finalAcceptance).length !== 1) return false;
          return stages.every((s) => s.kind !== 'submission' || !s.deadline || !('backTo' in s.deadline) || stageIds.includes(s.deadline.backTo));
        },
      ),
    );
  });
});

describe('Nanfeng trial run (000 §12)', () => {
  it('is 3 months, 6 for a major project', () => {
    const trial = (major: boolean) => nanfengProfile.stages(facts(1, { flags: { major } })).find((s) => s.id === 'acceptanceApplication');
    expect(trial(false)).toMatchObject({ notBefore: { months: 3, rule: '000 §12' } });
    expect(trial(true)).toMatchObject({ notBefore: { months: 6, rule: '000 §12' } });
  });
});

describe('annual intake cut-off (001 §5)', () => {
  it('runs to 30 September 23:59:59.999 Asia/Shanghai of the year before the plan year', () => {
    expect(intakeCutoff(yiyangProfile, 2027)?.toISOString()).toBe('2026-09-30T15:59:59.999Z');
    expect(isLateForAnnualPlan(yiyangProfile, 2027, new Date('2026-09-30T15:59:59.999Z'))).toBe(false);
    expect(isLateForAnnualPlan(yiyangProfile, 2027, new Date('2026-09-30T16:00:00.000Z'))).toBe(true);
    expect(intakeCutoff(nanfengProfile, 2027)).toBeNull();
  });

  it('knows which plan year is open: until 30 September the next year, then the one after', () => {
    expect(openPlanYear(yiyangProfile, new Date('2026-01-01T00:00:00+08:00'))).toBe(2027);
    expect(openPlanYear(yiyangProfile, new Date('2026-09-30T23:59:59+08:00'))).toBe(2027);
    expect(openPlanYear(yiyangProfile, new Date('2026-10-01T00:00:00+08:00'))).toBe(2028);
  });
});

describe('retention arithmetic (001 §19)', () => {
  const policy = yiyangProfile.retention!;

  it('withholds 15% and splits it into three 5% tranches in whole fen', () => {
    expect(retentionSchedule(300_000_000, policy)).toEqual({
      withheldFen: 45_000_000,
      tranches: [
        { trancheNo: 1, amountFen: 15_000_000, yearsAfterAcceptance: 1, condition: 'postEvaluation' },
        { trancheNo: 2, amountFen: 15_000_000, yearsAfterAcceptance: 2, condition: 'assessment' },
        { trancheNo: 3, amountFen: 15_000_000, yearsAfterAcceptance: 3, condition: 'assessment' },
      ],
    });
    // 100,001 fen: 15% = 15,000.15 → 15,000; 5% = 5,000.05 → 5,000, 5,000, and the last takes 5,000.
    expect(retentionSchedule(100_001, policy).tranches.map((t) => t.amountFen)).toEqual([5_000, 5_000, 5_000]);
    // 33 fen: 15% = 4.95 → 4; 5% = 1.65 → 1, 1, and the last takes the remaining 2.
    expect(retentionSchedule(33, policy)).toMatchObject({ withheldFen: 4, tranches: [{ amountFen: 1 }, { amountFen: 1 }, { amountFen: 2 }] });
  });

  it('always sums exactly to the withheld amount, never exceeds 15%, and the last tranche differs by at most 2 fen', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (sumFen) => {
        const { withheldFen, tranches } = retentionSchedule(sumFen, policy);
        const total = tranches.reduce((acc, t) => acc + t.amountFen, 0);
        const exact = (BigInt(sumFen) * 15n) / 100n;
        const [a, b, c] = tranches.map((t) => t.amountFen) as [number, number, number];
        return total === withheldFen && BigInt(withheldFen) === exact && a === b && c >= a && c - a <= 2 && tranches.every((t) => Number.isSafeInteger(t.amountFen) && t.amountFen >= 0);
      }),
    );
  });

  it('refuses a sum that is not whole fen', () => {
    expect(() => retentionSchedule(1.5, policy)).toThrow(RangeError);
    expect(() => retentionSchedule(-1, policy)).toThrow(RangeError);
  });
});
