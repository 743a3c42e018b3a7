/** The ribbon edits and the OnAppointmentSend check (Smart Alerts), over the domain core. */
import { functionNameFor, ribbonEdit, sendCheck } from '../../src/commands/logic';

describe('sendCheck', () => {
  test.each([
    ['NP/L lunch', 'NP/L:', 'NP/L: lunch'],
    ['NP\\L: Lunch', 'NP/L:', 'NP/L: Lunch'],
    ['NP /M: styrelse', 'NP/M:', 'NP/M: styrelse'],
  ])('holds the near miss %j and names %s', (subject, prefix, suggestion) => {
    const r = sendCheck(subject, 'sv');
    expect(r.allow).toBe(false);
    if (r.allow) return;
    expect(r.message).toContain(prefix);
    expect(r.message).toMatch(/Menade du/);
    expect(r.suggestion).toBe(suggestion);
  });

  test('speaks English when Outlook does', () => {
    const r = sendCheck('NP/L lunch', 'en');
    expect(!r.allow && r.message).toMatch(/Did you mean NP\/L: \(Lunch\)\?/);
  });

  test.each(['NP/L: Lunch', 'np/l:lunch', 'Styrelsemöte', ''])('lets %j through', (subject) => {
    expect(sendCheck(subject, 'sv')).toEqual({ allow: true });
  });

  test('an unknown code is held with the list of codes, and no suggestion', () => {
    const r = sendCheck('NP/X: hej', 'sv');
    expect(r.allow).toBe(false);
    expect(!r.allow && r.message).toContain('NP/Sj:');
    expect(!r.allow && r.suggestion).toBeNull();
  });
});

describe('ribbonEdit', () => {
  test('writes the code first and keeps the text; remove leaves the text', () => {
    expect(ribbonEdit('NP/M lunch med Eva', 'L')).toEqual({ ok: true, subject: 'NP/L: lunch med Eva' });
    expect(ribbonEdit('NP/L: lunch med Eva', null)).toEqual({ ok: true, subject: 'lunch med Eva' });
    expect(ribbonEdit('x'.repeat(252), 'L')).toMatchObject({ ok: false, error: 'tooLong' });
  });

  test('function names follow the manifest', () => {
    expect(functionNameFor('Sj')).toBe('npCodeSj');
  });
});
