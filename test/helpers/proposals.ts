import type { ProjectProposal } from '../../domain/project';

let sequence = 0;

/** A valid Yiyang proposal with a unique id; override what a test is about. */
export function aProposal(overrides: Partial<ProjectProposal> = {}): ProjectProposal {
  sequence += 1;
  return {
    projectId: `YY-2027-${process.pid}-${Date.now().toString(36)}-${sequence}`,
    name: '智慧城管综合平台',
    unit: '益阳市城市管理局',
    jurisdiction: 'yiyang',
    // The 2028 plan's intake is open until 2027-09-30 (the test servers start at today's date).
    planYear: 2028,
    investmentFen: 3_500_000 * 100,
    fundingSource: '市本级财政',
    planKind: 'annual',
    flags: {},
    ...overrides,
  };
}
