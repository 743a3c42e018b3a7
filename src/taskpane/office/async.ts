/**
 * One promise helper for every Office.js *Async call (STYLE "Do not copy"): a throw inside an
 * Office callback never reaches the caller's try, so the result is turned into a promise that
 * rejects with a typed ItemError.
 */
import { ItemError } from '../port';

type Callback<T> = (result: Office.AsyncResult<T>) => void;

export function officeAsync<T>(call: (callback: Callback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      call((result) => {
        if (result.status === Office.AsyncResultStatus.Succeeded) resolve(result.value);
        else reject(new ItemError(result.error?.name ?? 'OfficeError', result.error?.message ?? 'Outlook could not do that.'));
      });
    } catch (e) {
      reject(new ItemError('OfficeError', (e as Error).message));
    }
  });
}

/** Feature detection (STYLE 2): a requirement set, false when Office cannot tell. */
export function supports(set: string, version: string, office: typeof Office = Office): boolean {
  try {
    return office.context.requirements.isSetSupported(set, version);
  } catch {
    return false;
  }
}
