// The members screen's drafts, names and e-mails as the services store them (issue 12,
// finding 11): a name with a control or text-direction character is caught before it is sent,
// and what is sent is normalised the services' way, so an unchanged name is not sent again.
import { describe, expect, it } from 'vitest';
import type { MemberView } from '../../contracts/api/index.ts';
import { checkMember, emptyDraft, memberPatch, newMemberBody } from '../../dashboard/src/data/members.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { T0 } from './fixtures.ts';

const ANNA: MemberView = {
  id: 'm-1',
  name: 'Anna Østergård',
  email: 'anna@example.dk',
  role: 'member',
  plan: null,
  status: 'active',
  presenceOptIn: false,
  createdAt: T0,
  credentials: 0,
};

describe('member drafts', () => {
  it('refuse a name with a control or text-direction character, or only spaces, in both languages', () => {
    locale.set('en', false);
    const draft = { ...emptyDraft(), email: 'a@example.dk' };
    expect(checkMember({ ...draft, name: 'a\u202Eb' }).name).toBe('Leave out control and text-direction characters (often pasted in by accident).');
    expect(checkMember({ ...draft, name: '\u0000x' }).name).toBe('Leave out control and text-direction characters (often pasted in by accident).');
    expect(checkMember({ ...draft, name: '   ' }).name).toBe('Fill this in.');
    expect(checkMember({ ...draft, name: ' Anna  Østergård ' }).name).toBeUndefined();
    locale.set('da', false);
    expect(checkMember({ ...draft, name: 'a\u2066b' }).name).toBe('Udelad kontrol- og tekstretningstegn (de kommer ofte med, når man indsætter tekst).');
    locale.set('en', false);
  });

  it('send names and e-mails as the services store them, and leave an unchanged one out', () => {
    const d = { ...emptyDraft(), name: '  Anna   Østergård ', email: ' Anna@Example.DK ' };
    expect(newMemberBody(d, 'host')).toMatchObject({ name: 'Anna Østergård', email: 'anna@example.dk' });
    expect(memberPatch({ ...d, plan: '' }, ANNA, 'host')).toEqual({});
    expect(memberPatch({ ...d, name: 'Anna Berg', plan: '' }, ANNA, 'host')).toEqual({ name: 'Anna Berg' });
  });
});
