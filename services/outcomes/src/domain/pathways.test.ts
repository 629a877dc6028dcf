import { PathwayCount, pathwayEdges } from './pathways';

const path = (over: Partial<PathwayCount>): PathwayCount => ({
  senStatus: 'EHCP', reason: 'PERMANENT_EXCLUSION', declined: false, withdrawn: false, placementType: 'DAY6_PROVISION', placed: true, status: 'ENDED',
  endReason: 'REINTEGRATED_MAINSTREAM', count: 1, ...over,
});

describe('pathwayEdges', () => {
  it('adds up the edges of each stage (the worked example)', () => {
    // 2 EHCP exclusions reintegrated, 1 EHCP exclusion still placed, 1 SEN support SEMH referral declined.
    const edges = pathwayEdges([
      path({ count: 2 }),
      path({ status: 'ACTIVE', endReason: null }),
      path({ senStatus: 'SEN_SUPPORT', reason: 'SEMH_NEEDS', placed: false, declined: true, placementType: null, status: null, endReason: null }),
    ]);
    expect(edges).toEqual([
      { from: 'PLACEMENT:DAY6_PROVISION', to: 'END:ONGOING', count: 1 },
      { from: 'PLACEMENT:DAY6_PROVISION', to: 'END:REINTEGRATED_MAINSTREAM', count: 2 },
      { from: 'REASON:PERMANENT_EXCLUSION', to: 'PLACEMENT:DAY6_PROVISION', count: 3 },
      { from: 'REASON:SEMH_NEEDS', to: 'PLACEMENT:DECLINED', count: 1 },
      { from: 'SEN_STATUS:EHCP', to: 'REASON:PERMANENT_EXCLUSION', count: 3 },
      { from: 'SEN_STATUS:SEN_SUPPORT', to: 'REASON:SEMH_NEEDS', count: 1 },
    ]);
  });

  it('ends an unplaced referral at the placement stage: withdrawn, or not placed yet', () => {
    expect(pathwayEdges([path({ placed: false, withdrawn: true, placementType: null })]).map((e) => e.to)).toEqual(['PLACEMENT:WITHDRAWN', 'REASON:PERMANENT_EXCLUSION']);
    expect(pathwayEdges([path({ placed: false, senStatus: null })]).map((e) => `${e.from}→${e.to}`)).toEqual([
      'REASON:PERMANENT_EXCLUSION→PLACEMENT:NOT_PLACED',
      'SEN_STATUS:UNKNOWN→REASON:PERMANENT_EXCLUSION',
    ]);
  });
});
