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

  /**
   * Settings and profile together, all or nothing (issue 12: the pane saves Kalender and
   * Kontaktprofiler with one button): both are validated before anything is written, and both
   * are written in one transaction. Errors name `settings.…` or `profile.…`.
   */
  async putPreferences(user: UserRow, settings: unknown, profile: unknown): Promise<{ settings: CalendarSettings; profile: ContactProfile }> {
    const org = await this.d.contexts.org();
    const merged = { settings: mergeSettings(settings, org.settings, org.catalog, 'settings'), profile: mergeProfile(profile, org.profile, 'profile') };
    const now = this.d.clock();
    await this.d.store.transaction(async (tx) => {
      await tx.putDoc(user, 'settings', settings ?? {}, now);
      await tx.putDoc(user, 'profile', profile ?? {}, now);
    });
    this.d.contexts.forgetDocs(user);
    this.d.changed(user.extension);
    return merged;
  }
}
