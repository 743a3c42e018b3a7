/** Every reason and warning has a Swedish and an English text with the same parameters. */
import { MESSAGE_KEYS, renderMessage } from '../../src/core';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test.each(MESSAGE_KEYS)('%s has both languages with the same parameters', (key) => {
  const sv = renderMessage(key, {}, 'sv');
  const en = renderMessage(key, {}, 'en');
  expect(sv.trim().length).toBeGreaterThan(10);
  expect(en.trim().length).toBeGreaterThan(10);
  expect(sv).not.toBe(en);
  expect(placeholders(sv)).toEqual(placeholders(en));
});

test('parameters are filled in; a missing one stays visible rather than printing "undefined"', () => {
  expect(renderMessage('warning.nonCanonical', { canonicalSubject: 'NP/L: Lunch' }, 'sv')).toBe('Koden fungerar, men skrivs så här: NP/L: Lunch');
  expect(renderMessage('error.subjectTooLong', { length: 260, max: 255 }, 'en')).toContain('260 characters');
  expect(renderMessage('warning.nearMiss.missingColon', {}, 'en')).toContain('{prefix}');
});

test('the reasons of SPEC 8.2 all have texts', () => {
  for (const r of ['disabled', 'cancelled', 'declined', 'invalidTime', 'noPrefix', 'private', 'free', 'tentative']) {
    expect(MESSAGE_KEYS).toContain(`reason.${r}`);
  }
});
