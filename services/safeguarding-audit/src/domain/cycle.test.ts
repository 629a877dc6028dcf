import { completionProblems, mergeAnswers, mergeRatings, missingAnswers, overallRating, ratingsVisible } from './audit';
import { checkTemplateInput, SECTION_175_TEMPLATE, standardsOf } from './template';

const standards = [{ id: 'A.1' }, { id: 'A.2' }, { id: 'B.1' }];

describe('overallRating', () => {
  it.each([
    [[], null],
    [['GREEN', 'GREEN'], 'GREEN'],
    [['GREEN', 'AMBER'], 'AMBER'],
    [['AMBER', 'RED', 'GREEN'], 'RED'],
  ] as const)('%o → %s', (ratings, expected) => expect(overallRating(ratings.map((rating) => ({ rating })))).toBe(expected));
});

describe('answers', () => {
  it('names every standard left unanswered', () => {
    const merged = mergeAnswers(standards, [], [{ standardId: 'A.2', selfRating: 'GREEN' }]);
    expect(merged.ok && missingAnswers(standards, merged.answers)).toEqual([
      { field: 'answers.A.1', message: 'Standard A.1 has no answer' },
      { field: 'answers.B.1', message: 'Standard B.1 has no answer' },
    ]);
  });
  it('keeps saved answers, lets a later answer replace one, and keeps template order', () => {
    const saved = [{ standardId: 'B.1', selfRating: 'AMBER' as const, evidence: 'old' }];
    const merged = mergeAnswers(standards, saved, [
      { standardId: 'B.1', selfRating: 'GREEN', evidence: '  new  ' },
      { standardId: 'A.1', selfRating: 'RED', evidence: '' },
    ]);
    expect(merged).toEqual({
      ok: true,
      answers: [
        { standardId: 'A.1', selfRating: 'RED', evidence: null },
        { standardId: 'B.1', selfRating: 'GREEN', evidence: 'new' },
      ],
    });
  });
  it('refuses a standard the template does not have', () => {
    expect(mergeAnswers(standards, [], [{ standardId: 'Z.9', selfRating: 'GREEN' }])).toEqual({
      ok: false,
      problems: [{ field: 'answers[0].standardId', message: 'Standard Z.9 is not in this audit’s template' }],
    });
  });
});

describe('completionProblems', () => {
  const ratings = mergeRatings(standards, [], [
    { standardId: 'A.1', rating: 'GREEN' },
    { standardId: 'A.2', rating: 'RED' },
  ]);
  it('needs every standard rated and an action for each AMBER or RED one', () => {
    expect(ratings.ok && completionProblems(standards, ratings.ratings, [])).toEqual([
      { field: 'actions.A.2', message: 'Standard A.2 is rated RED: add an action for it first' },
      { field: 'ratings.B.1', message: 'Standard B.1 is not rated yet' },
    ]);
  });
  it('is satisfied once all are rated and the RED one has an action', () => {
    const all = mergeRatings(standards, ratings.ok ? ratings.ratings : [], [{ standardId: 'B.1', rating: 'GREEN' }]);
    expect(all.ok && completionProblems(standards, all.ratings, ['A.2'])).toEqual([]);
  });
  it('refuses an empty rating list', () => {
    expect(mergeRatings(standards, [], []).ok).toBe(false);
  });
});

describe('ratingsVisible', () => {
  it('shows a provider its ratings only once completed; officers always', () => {
    expect(ratingsVisible('PROVIDER_USER', 'SUBMITTED')).toBe(false);
    expect(ratingsVisible('PROVIDER_USER', 'COMPLETED')).toBe(true);
    expect(ratingsVisible('QA_OFFICER', 'SUBMITTED')).toBe(true);
  });
});

describe('the Section 175 template', () => {
  it('passes its own checks and covers every area the issue lists', () => {
    expect(checkTemplateInput({ name: 'x', sections: SECTION_175_TEMPLATE }).ok).toBe(true);
    expect(SECTION_175_TEMPLATE.map((s) => s.id)).toEqual(['LEAD', 'SR', 'TRN', 'CP', 'ATT', 'ONL', 'SITE', 'INF', 'KCSIE']);
    expect(standardsOf(SECTION_175_TEMPLATE).length).toBeGreaterThanOrEqual(20);
  });
  it('names every problem of a bad template', () => {
    const res = checkTemplateInput({ name: ' ', sections: [{ id: 'A', title: 'T', standards: [{ id: 'A.1', text: 'x' }, { id: 'A.1', text: '' }] }, { id: 'bad id', title: '', standards: [] }] });
    expect(res.ok === false && res.problems.map((p) => p.field)).toEqual([
      'name',
      'sections[0].standards[1].id',
      'sections[0].standards[1].text',
      'sections[1].id',
      'sections[1].title',
      'sections[1].standards',
    ]);
  });
});
