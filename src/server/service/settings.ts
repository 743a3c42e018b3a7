/**
 * A user's calendar settings and contact profile: validated against the organisation's and
 * stored as the user gave them (merged with the organisation's when read, see context.ts), so a
 * later change of an organisation default reaches everyone who did not choose otherwise.
 */
import { type CalendarSettings, type ContactProfile, mergeProfile, mergeSettings } from '../../core';
import type { UserRow } from '../store/types';
import type { Deps } from './context';

export class SettingsProfiles {
  constructor(private readonly d: Deps) {}

  async putSettings(user: UserRow, input: unknown): Promise<CalendarSettings> {
    const org = await this.d.contexts.org();
    const merged = mergeSettings(input, org.settings, org.catalog); // validates
    await this.d.store.putDoc(user, 'settings', input ?? {}, this.d.clock());
    this.d.contexts.forgetDocs(user);
    this.d.changed(user.extension);
    return merged;
  }

  async putProfile(user: UserRow, input: unknown): Promise<ContactProfile> {
    const org = await this.d.contexts.org();
    const merged = mergeProfile(input, org.profile);
    await this.d.store.putDoc(user, 'profile', input ?? {}, this.d.clock());
    this.d.contexts.forgetDocs(user);
    this.d.changed(user.extension);
    return merged;
  }
}
