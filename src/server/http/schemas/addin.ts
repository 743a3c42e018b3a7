/** What the add-in's pages read before sign-in: /addin/config.json and the development token. */
import { type Static, Type } from 'typebox';

export const AddinConfig = Type.Object({
  devSignIn: Type.Boolean({ description: 'the endpoint issues development tokens at POST /addin/dev/token' }),
  clientId: Type.Union([Type.String(), Type.Null()], { description: 'Entra application (client) id of the add-in, for NAA; null: not configured' }),
  scope: Type.Union([Type.String(), Type.Null()], { description: 'the API scope to ask for, e.g. api://<client-id>/access_as_user' }),
  authority: Type.Union([Type.String(), Type.Null()], { description: 'the sign-in authority (the organisation’s tenant); null: organizations' }),
});
export type AddinConfigJson = Static<typeof AddinConfig>;

export const DevTokenRequest = Type.Union([
  Type.Object(
    { user: Type.Optional(Type.String({ maxLength: 64 })), extension: Type.Optional(Type.String({ maxLength: 15 })), admin: Type.Optional(Type.Boolean()) },
    { additionalProperties: false },
  ),
  Type.Null(),
]);
export const DevToken = Type.Object({ token: Type.String() });
export type DevTokenJson = Static<typeof DevToken>;
