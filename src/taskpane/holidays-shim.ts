/**
 * Browser builds of the add-in only (webpack alias for `date-holidays`): the core's working-day
 * calendar needs the holiday tables (~1.8 MB with moment-timezone), the preview does not. This
 * stand-in loads the real library on demand (`loadHolidays()`, its own chunk) and refuses to
 * guess a working day before that, so nothing can silently use an empty holiday list.
 */
type RealHolidays = { getHolidays(year: number): { date: string; type: string }[] };
type RealCtor = new (...args: unknown[]) => RealHolidays;

let Real: RealCtor | null = null;

export async function loadHolidays(): Promise<void> {
  // @ts-expect-error — resolved by webpack's alias to the real library
  Real ??= (await import(/* webpackChunkName: "holidays" */ 'date-holidays-real')).default as RealCtor;
}

export default class Holidays {
  private inner: RealHolidays | null = null;
  private readonly args: unknown[];

  constructor(...args: unknown[]) {
    this.args = args;
  }

  getHolidays(year: number) {
    if (!Real) throw new Error('Working days are not loaded yet: call loadHolidays() first.');
    this.inner ??= new Real(...this.args);
    return this.inner.getHolidays(year);
  }
}
