import { initialStage, SELF_IMPLEMENTATION_CEILING_FEN } from '../../domain/policy/yiyang';

describe('Yiyang initial stage (001 §5, §8)', () => {
  it('50万元以下 includes 50万 itself (Civil Code art. 1259)', () => {
    expect(SELF_IMPLEMENTATION_CEILING_FEN).toBe(50_000_000);
    expect(initialStage(50_000_000)).toEqual({ stage: 'selfImplementation', rule: '001 §8' });
    expect(initialStage(1)).toEqual({ stage: 'selfImplementation', rule: '001 §8' });
  });

  it('one fen more goes through the pre-technical review into the annual plan', () => {
    expect(initialStage(50_000_001)).toEqual({ stage: 'preTechnicalReview', rule: '001 §5' });
  });
});
