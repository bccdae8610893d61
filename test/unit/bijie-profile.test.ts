import { bijieProfile, CITY_REVIEW_COUNTY_THRESHOLD_FEN } from '../../domain/policy/bijie';
import { wan } from '../../domain/policy/profile';

/** The Bijie (003) path as data: which stages a project's facts give it. */
const path = (facts: Parameters<typeof bijieProfile.stages>[0]) => bijieProfile.stages(facts).map((s) => `${s.id} ${s.rule}`);

describe('Bijie (003) path', () => {
  it('takes a city project from the demand scheme through the third-party reviews to the three-party contract and acceptance by the unit with the department (003 §5–§10, §13–§17, §20)', () => {
    expect(path({ investmentFen: wan(300), planKind: 'annual', flags: {} })).toEqual([
      'demandScheme 003 §5', 'initialReview 003 §6', 'thirdPartyReview 003 §7', 'libraryEntry 003 §8', 'implementationPlan 003 §9', 'budgetReview 003 §10',
      'servicePlan 003 §13', 'servicePlanReview 003 §14', 'procurement 003 §15', 'threePartyContract 003 §16', 'implementation 003 §17', 'finalAcceptance 003 §20',
    ]);
    const acceptance = bijieProfile.stages({ investmentFen: wan(300), planKind: 'annual', flags: {} }).find((s) => s.id === 'finalAcceptance');
    expect(acceptance).toMatchObject({ role: 'unit', coSigners: { roles: ['reviewOffice'], rule: '003 §20' } });
  });

  it('has the city review the service plan of a county project of 100万 or more, or of one using third-party systems or upper-level or own funds (003 §34)', () => {
    const cityReview = (investmentFen: number, flags: Record<string, boolean>) => path({ investmentFen, planKind: 'annual', flags }).includes('cityServicePlanReview 003 §34');
    expect(cityReview(CITY_REVIEW_COUNTY_THRESHOLD_FEN, { county: true })).toBe(true);
    expect(cityReview(CITY_REVIEW_COUNTY_THRESHOLD_FEN - 1, { county: true })).toBe(false);
    expect(cityReview(wan(20), { thirdPartySystems: true })).toBe(true);
    expect(cityReview(wan(20), { upperOrSelfFunds: true })).toBe(true);
    expect(cityReview(wan(20), {})).toBe(false);
  });
});
