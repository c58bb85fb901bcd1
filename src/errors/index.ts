/** The one error base class (stable `code`, HTTP `status`, optional `details`). */
export { TandemError, errorWordFor } from './tandem-error';
