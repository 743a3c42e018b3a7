/**
 * The Appointment port (STYLE 1): everything the task pane needs from the open calendar item.
 * `office/` implements it with Office.js, `harness/` in memory; components only see this.
 */
import type { Sensitivity } from '../core/booking';

export type ItemMode = 'organizer' | 'attendee';

export interface ItemSnapshot {
  subject: string;
  /** Epoch milliseconds. */
  start: number;
  end: number;
  location: string;
  body: string;
  sensitivity: Sensitivity;
  mode: ItemMode;
  /** The item's id once saved (EWS/Office id), null for a new unsaved item. */
  itemId: string | null;
  /** Office.js recurrence pattern as JSON, when the item is a series. */
  recurrence: Record<string, unknown> | null;
}

export interface AppointmentPort {
  readonly mode: ItemMode;
  /** Reads what the preview needs; cheap enough to call once a second. */
  read(): Promise<ItemSnapshot>;
  /** Writes the subject (organizer only). */
  setSubject(subject: string): Promise<void>;
  /** Saves the item and gives its REST id (organizer: saveAsync; attendee: the existing id). */
  saveAndGetRestId(): Promise<string>;
  /** The REST id of an already saved item, null when it has none yet. */
  restId(): Promise<string | null>;
  /** Called when the time or the recurrence changes (Office events); returns an unsubscribe. */
  onChange(listener: () => void): () => void;
  /**
   * Opens a stored booking in Outlook (its own form), given the id the endpoint stored (a Graph
   * REST id, or what the add-in put). Absent where the host cannot open items (Outlook mobile):
   * the pane then offers no Öppna.
   */
  openItem?(bookingId: string): Promise<void>;
}

/** An error from the item's host, in words a user can act on (never the subject's text). */
export class ItemError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ItemError';
  }
}
