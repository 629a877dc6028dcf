import { OPEN_PLACEMENT_STATUSES, secondPlacementRefusal } from './placement';

describe('one open placement per pupil', () => {
  it('counts planned and active placements as open, ended and cancelled ones not', () => {
    expect([...OPEN_PLACEMENT_STATUSES].sort()).toEqual(['ACTIVE', 'PLANNED']);
  });
  it('says which placement a refused one collided with', () => {
    expect(secondPlacementRefusal({ id: 'p-1', status: 'ACTIVE' })).toBe(
      'The pupil already has an open placement (p-1, active); a pupil has one full-time placement at a time',
    );
  });
});
