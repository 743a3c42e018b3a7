/** cleanText (issue 10): nothing invisible reaches colleagues or the switch; every visible letter stays. */
import fc from 'fast-check';
import { messageText } from '../../src/core/resolve';
import { cleanText } from '../../src/core/text';

const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;

test.each([
  ['bidi override', 'Lu\u202Enc\u202Ch', 'Lunch'],
  ['isolates and marks', '\u2066Möte\u2069 \u200Fi\u200E rum', 'Möte i rum'],
  ['zero-width space, word joiner, BOM', 'Ti\u200Bll\u2060ba\uFEFFka', 'Tillbaka'],
  ['NUL and other controls', 'A\u0000B\u0007C\u001BD\u007FE\u009BF', 'ABCDEF'],
  ['line breaks and tabs become spaces', 'rad ett\nrad\ttvå\r\nslut\u2028x', 'rad ett rad två  slut x'],
  ['a lone surrogate', 'ab\uD800cd', 'abcd'],
])('removes %s', (_name, input, expected) => {
  expect(cleanText(input)).toBe(expected);
});

test.each([
  ['Arabic and Hebrew letters', 'مرحبا שלום'],
  ['emoji with zero-width joiners and variation selectors', '👩‍💻 👨‍👩‍👧 ❤️'],
  ['flags, including tag sequences', '🇸🇪 🏴󠁧󠁢󠁳󠁣󠁴󠁿'],
  ['the zero-width non-joiner of Persian', 'می‌خواهم'],
  ['Swedish, Finnish and Sami letters', 'Åäö Ŋŧž'],
])('keeps %s', (_name, text) => {
  expect(cleanText(text)).toBe(text);
});

test('property: the result has nothing invisible, is stable, and keeps every letter and digit in order', () => {
  const chars = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.string({ unit: fc.constantFrom('\u202E', '\u200B', '\u0000', '\u2066', '\uFEFF', '\n', 'a', 'ö', '😀', '\u200D', 'م'), maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
  );
  fc.assert(
    fc.property(chars, (s) => {
      const out = cleanText(s);
      expect(out).not.toMatch(INVISIBLE);
      expect(cleanText(out)).toBe(out);
      const letters = (t: string) => t.match(/[\p{L}\p{N}]/gu)?.join('') ?? '';
      expect(letters(out)).toBe(letters(s));
    }),
    { numRuns: 2000 },
  );
});

test('the message text callers and colleagues get is cleaned too', () => {
  expect(messageText('Lu\u202Enc\u200Bh', 'rum\u00003')).toBe('Lunch – rum3');
});
