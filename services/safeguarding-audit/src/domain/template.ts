import type { InputProblem } from '@ap/errors';

/** One thing a provider must show, and the evidence a QA officer will ask to see. */
export interface TemplateStandard {
  id: string;
  text: string;
  evidenceAsked: string | null;
}

export interface TemplateSection {
  id: string;
  title: string;
  standards: TemplateStandard[];
}

export interface TemplateInput {
  name?: string | null;
  sections?: readonly { id?: string | null; title?: string | null; standards?: readonly { id?: string | null; text?: string | null; evidenceAsked?: string | null }[] | null }[] | null;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

/** Every standard of a template, in order. */
export const standardsOf = (sections: readonly TemplateSection[]): TemplateStandard[] => sections.flatMap((s) => s.standards);

/**
 * Checks a template before it is published: a name, at least one section, each with at least one
 * standard; section and standard ids short codes, unique within the template (answers and ratings
 * refer to standards by id). Every problem is named at once.
 */
export function checkTemplateInput(input: TemplateInput): { ok: true; name: string; sections: TemplateSection[] } | { ok: false; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const name = input.name?.trim() ?? '';
  if (!name) problems.push({ field: 'name', message: 'Give the template a name' });
  else if (name.length > 200) problems.push({ field: 'name', message: 'The name must be at most 200 characters' });
  const sections = input.sections ?? [];
  if (sections.length === 0) problems.push({ field: 'sections', message: 'A template needs at least one section' });
  const sectionIds = new Set<string>();
  const standardIds = new Set<string>();
  const out: TemplateSection[] = sections.map((section, i) => {
    const field = `sections[${i}]`;
    const id = section.id?.trim() ?? '';
    if (!ID.test(id)) problems.push({ field: `${field}.id`, message: 'A section id is a short code of letters, digits, ".", "_" or "-" (at most 32)' });
    else if (sectionIds.has(id)) problems.push({ field: `${field}.id`, message: `Section id ${id} is used twice` });
    sectionIds.add(id);
    const title = section.title?.trim() ?? '';
    if (!title || title.length > 200) problems.push({ field: `${field}.title`, message: 'A section needs a title of at most 200 characters' });
    const standards = section.standards ?? [];
    if (standards.length === 0) problems.push({ field: `${field}.standards`, message: 'A section needs at least one standard' });
    return {
      id,
      title,
      standards: standards.map((standard, j) => {
        const sField = `${field}.standards[${j}]`;
        const sid = standard.id?.trim() ?? '';
        if (!ID.test(sid)) problems.push({ field: `${sField}.id`, message: 'A standard id is a short code of letters, digits, ".", "_" or "-" (at most 32)' });
        else if (standardIds.has(sid)) problems.push({ field: `${sField}.id`, message: `Standard id ${sid} is used twice` });
        standardIds.add(sid);
        const text = standard.text?.trim() ?? '';
        if (!text || text.length > 2000) problems.push({ field: `${sField}.text`, message: 'A standard needs a text of at most 2000 characters' });
        const evidenceAsked = standard.evidenceAsked?.trim() || null;
        if (evidenceAsked && evidenceAsked.length > 2000) problems.push({ field: `${sField}.evidenceAsked`, message: 'The evidence asked must be at most 2000 characters' });
        return { id: sid, text, evidenceAsked };
      }),
    };
  });
  return problems.length ? { ok: false, problems } : { ok: true, name, sections: out };
}

/** The name of the template shipped with the service; a later version keeps the name. */
export const SECTION_175_TEMPLATE_NAME = 'Section 175 safeguarding audit for alternative provision';

/**
 * The Section 175 self-audit for AP providers, shipped as seed data (migration SeedSection175Template).
 * Written for this platform: it follows the duties in Education Act 2002 s.175/s.157 and Keeping
 * Children Safe in Education as a council's QA team would check them at an AP provider.
 */
export const SECTION_175_TEMPLATE: readonly TemplateSection[] = [
  {
    id: 'LEAD',
    title: 'Safeguarding leadership and the designated safeguarding lead',
    standards: [
      { id: 'LEAD.1', text: 'A named designated safeguarding lead (DSL) from the senior team holds the role in writing, with time and resources to do it.', evidenceAsked: 'Job description or letter of appointment; how many hours a week the role is given.' },
      { id: 'LEAD.2', text: 'A trained deputy DSL covers every session when the DSL is absent, and staff and pupils know who both are.', evidenceAsked: 'Rota showing cover for every session; posters or handbook naming the DSL and deputy.' },
      { id: 'LEAD.3', text: 'The proprietor or management board reviews safeguarding at least once a year and acts on what it finds.', evidenceAsked: 'Minutes of the last annual safeguarding review and the actions that followed.' },
    ],
  },
  {
    id: 'SR',
    title: 'Safer recruitment and the single central record',
    standards: [
      { id: 'SR.1', text: 'Every adult working with pupils has an enhanced DBS check with barred-list check, identity, right to work and references taken before they start.', evidenceAsked: 'A sample of five personnel files chosen by the auditor on the day.' },
      { id: 'SR.2', text: 'The single central record lists every member of staff, volunteer and regular contractor with the date of each check, and has no gaps.', evidenceAsked: 'The single central record itself, checked against the staff list.' },
      { id: 'SR.3', text: 'At least one person on every interview panel has completed safer recruitment training.', evidenceAsked: 'Training certificates; the panels of the last three appointments.' },
    ],
  },
  {
    id: 'TRN',
    title: 'Safeguarding training and induction',
    standards: [
      { id: 'TRN.1', text: 'All staff complete safeguarding and child-protection training at induction and refresh it regularly, with updates at least once a year.', evidenceAsked: 'Training log with dates for every member of staff.' },
      { id: 'TRN.2', text: 'The DSL and deputy renew their DSL training at least every two years.', evidenceAsked: 'Certificates with dates.' },
      { id: 'TRN.3', text: 'Staff have read Part one of Keeping Children Safe in Education and confirmed it in writing.', evidenceAsked: 'Signed or electronic read receipts for the current edition.' },
    ],
  },
  {
    id: 'CP',
    title: 'Child-protection policy and procedures',
    standards: [
      { id: 'CP.1', text: 'A child-protection policy, reviewed in the last 12 months, follows the local safeguarding partnership’s procedures and is published.', evidenceAsked: 'The policy with its review date; where it is published.' },
      { id: 'CP.2', text: 'Concerns are recorded the same day, passed to the DSL, and referred to children’s social care when the threshold is met; records are kept securely.', evidenceAsked: 'Recording system; a sample of recent concerns traced to their outcome.' },
      { id: 'CP.3', text: 'Allegations about staff are handled under a written procedure and reported to the LADO.', evidenceAsked: 'Allegations procedure; log of any allegations and LADO contact.' },
    ],
  },
  {
    id: 'ATT',
    title: 'Attendance and children missing education',
    standards: [
      { id: 'ATT.1', text: 'Attendance is taken every session and any unexplained absence is reported to the commissioning school or LA the same day.', evidenceAsked: 'Registers for a sample week; records of same-day absence calls.' },
      { id: 'ATT.2', text: 'Pupils who go missing from education, or are at risk of it, are escalated under the LA’s children-missing-education procedure.', evidenceAsked: 'The escalation procedure; examples of its use.' },
    ],
  },
  {
    id: 'ONL',
    title: 'Online safety',
    standards: [
      { id: 'ONL.1', text: 'Filtering and monitoring on the provider’s devices and network are in place, checked, and alerts reach the DSL.', evidenceAsked: 'Filtering and monitoring provider; the last check and a recent alert followed up.' },
      { id: 'ONL.2', text: 'Pupils are taught how to stay safe online, including about sharing images and contact with strangers.', evidenceAsked: 'Curriculum plans or session records.' },
    ],
  },
  {
    id: 'SITE',
    title: 'Site safety and security',
    standards: [
      { id: 'SITE.1', text: 'The site has a current health and safety risk assessment, fire risk assessment and evacuation drills at least each term.', evidenceAsked: 'Risk assessments with dates; the drill log.' },
      { id: 'SITE.2', text: 'Visitors are signed in, identified and supervised; pupils cannot leave the site unnoticed.', evidenceAsked: 'Visitor log; how exits are supervised.' },
    ],
  },
  {
    id: 'INF',
    title: 'Information sharing',
    standards: [
      { id: 'INF.1', text: 'The provider receives, before a placement starts, the safeguarding information the school holds on the pupil, and shares concerns back promptly.', evidenceAsked: 'Placement start checklist; an example of information shared back.' },
      { id: 'INF.2', text: 'Pupil information is stored and shared lawfully and securely, with a named data protection lead.', evidenceAsked: 'Data protection policy; who has access to safeguarding records.' },
    ],
  },
  {
    id: 'KCSIE',
    title: 'Written confirmation for alternative provision (KCSIE)',
    standards: [
      { id: 'KCSIE.1', text: 'The provider has given the commissioning school or LA written confirmation that the safety vetting checks on its staff have been carried out.', evidenceAsked: 'Copies of the written confirmations sent for current placements.' },
      { id: 'KCSIE.2', text: 'The provider tells the commissioner at once of any change of staff working with its pupils, so the confirmation stays true.', evidenceAsked: 'Procedure for notifying changes; an example.' },
    ],
  },
];
