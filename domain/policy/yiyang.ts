import type { Fen, ProjectStage } from '../project';

/**
 * Yiyang (益阳市) policy profile, seed 001 — the default profile.
 * Data plus pure functions only: no I/O and no clock, so workflows can call them deterministically.
 */

/** A project keeps the profile version it was registered under for its whole life (RULES.md). */
export const PROFILE_VERSION = 'yiyang@2022';

/** 50万元 in fen. "50万元以下" includes the number itself (Civil Code art. 1259). */
export const SELF_IMPLEMENTATION_CEILING_FEN: Fen = 500_000 * 100;

/**
 * 001 §8: a project of 50万 or less is not put in the annual plan and needs no approval; the unit
 * implements it and files the contract. Everything larger starts with the pre-technical review that
 * admits a proposal to the plan (001 §5).
 */
export function initialStage(investmentFen: Fen): { stage: ProjectStage; rule: string } {
  return investmentFen <= SELF_IMPLEMENTATION_CEILING_FEN
    ? { stage: 'selfImplementation', rule: '001 §8' }
    : { stage: 'preTechnicalReview', rule: '001 §5' };
}
