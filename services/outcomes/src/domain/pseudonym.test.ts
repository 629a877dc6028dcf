import { pseudonym } from './pseudonym';

const pupil = '0b9d7a4e-6d3c-4e0f-9f1a-2b3c4d5e6f70';

describe('pseudonym', () => {
  it('is stable for one LA and pupil, so rows of one pupil can be joined', () => {
    expect(pseudonym('s3cret', '865', 'pupil', pupil)).toBe(pseudonym('s3cret', '865', 'pupil', pupil));
    expect(pseudonym('s3cret', '865', 'pupil', pupil)).toMatch(/^P-[A-Za-z0-9_-]{22}$/);
  });

  it('differs by LA, by secret and by kind, and never contains the id', () => {
    const a = pseudonym('s3cret', '865', 'pupil', pupil);
    expect(pseudonym('s3cret', '344', 'pupil', pupil)).not.toBe(a);
    expect(pseudonym('other', '865', 'pupil', pupil)).not.toBe(a);
    expect(pseudonym('s3cret', '865', 'placement', pupil).slice(2)).not.toBe(a.slice(2));
    expect(a).not.toContain(pupil.slice(0, 8));
  });

  it('refuses an empty secret', () => {
    expect(() => pseudonym('', '865', 'pupil', pupil)).toThrow(/secret/);
  });
});
