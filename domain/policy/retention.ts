import type { Fen } from '../project';
import type { RetentionPolicy } from './profile';

export interface PlannedTranche {
  trancheNo: number;
  amountFen: Fen;
  yearsAfterAcceptance: number;
  condition: 'postEvaluation' | 'assessment';
}

/**
 * 001 §19: 15% of the contract sum is withheld and released in three 5% tranches.
 *
 * Rounding rule (integer fen, never floats): the withheld amount is 15% of the sum rounded down to
 * the fen; every tranche but the last is its share rounded down; the last tranche takes the
 * remainder, so the tranches always add up to exactly the withheld amount and the last differs from
 * the others by at most 2 fen. BigInt keeps the intermediate products exact for any safe sum.
 */
export function retentionSchedule(sumFen: Fen, policy: RetentionPolicy): { withheldFen: Fen; tranches: PlannedTranche[] } {
  if (!Number.isSafeInteger(sumFen) || sumFen < 0) throw new RangeError(`Contract sum must be a whole, non-negative number of fen: ${sumFen}`);
  const share = (basisPoints: number) => Number((BigInt(sumFen) * BigInt(basisPoints)) / 10_000n);
  const withheldFen = share(policy.withheldBasisPoints);
  let allocated = 0;
  const tranches = policy.tranches.map((tranche, index) => {
    const last = index === policy.tranches.length - 1;
    const amountFen = last ? withheldFen - allocated : share(tranche.basisPoints);
    allocated += amountFen;
    return { trancheNo: tranche.trancheNo, amountFen, yearsAfterAcceptance: tranche.yearsAfterAcceptance, condition: tranche.condition };
  });
  return { withheldFen, tranches };
}
