/** Asserts that `fn` throws the domain's ValidationError naming `field`. */
import { ValidationError } from '../../src/core/errors';

export function expectFieldError(fn: () => unknown, field: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ValidationError);
  expect((caught as ValidationError).field).toBe(field);
}
