/** You: who you are, your calendar settings (Kalender) and contact profile (Kontaktprofiler). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { HttpContext } from '../context';
import { tag, userOf } from '../request';
import { Me, Preferences, PreferencesOut, Profile, ProfileOut, responses, Settings, SettingsOut } from '../schemas';

export const meRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, { service }) => {
  app.get('/api/v1/me', { schema: { ...tag('me'), summary: 'Who you are and your extension', response: responses({ 200: Me }) } }, async (req) => {
    const user = userOf(req);
    return {
      tid: user.tid,
      oid: user.oid,
      displayName: user.displayName,
      extension: user.extension,
      shared: user.shared,
      linked: user.extension !== null,
      isAdmin: req.principal?.isAdmin ?? false,
    };
  });

  app.get(
    '/api/v1/me/settings',
    { schema: { ...tag('me'), summary: 'Your calendar settings (Kalender), merged with the organisation defaults', response: responses({ 200: SettingsOut }) } },
    async (req) => (await service.context(userOf(req))).settings,
  );
  app.put(
    '/api/v1/me/settings',
    { schema: { ...tag('me'), summary: 'Replace your calendar settings', body: Settings, response: responses({ 200: SettingsOut }) } },
    async (req) => service.putSettings((await service.context(userOf(req))).user, req.body),
  );

  app.get(
    '/api/v1/me/profile',
    { schema: { ...tag('me'), summary: 'Your contact profile (Kontaktprofiler)', response: responses({ 200: ProfileOut }) } },
    async (req) => (await service.context(userOf(req))).profile,
  );
  app.put(
    '/api/v1/me/profile',
    { schema: { ...tag('me'), summary: 'Replace your contact profile', body: Profile, response: responses({ 200: ProfileOut }) } },
    async (req) => service.putProfile((await service.context(userOf(req))).user, req.body),
  );

  app.get(
    '/api/v1/me/preferences',
    { schema: { ...tag('me'), summary: 'Your calendar settings and contact profile together', response: responses({ 200: PreferencesOut }) } },
    async (req) => {
      const ctx = await service.context(userOf(req));
      return { settings: ctx.settings, profile: ctx.profile };
    },
  );
  app.put(
    '/api/v1/me/preferences',
    {
      schema: {
        ...tag('me'),
        summary: 'Replace your calendar settings and contact profile together: both are valid and stored, or neither',
        body: Preferences,
        response: responses({ 200: PreferencesOut }),
      },
    },
    async (req) => service.putPreferences((await service.context(userOf(req))).user, req.body.settings, req.body.profile),
  );
};
