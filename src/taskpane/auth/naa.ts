/**
 * Nested app authentication (Microsoft's NAA sample): createNestablePublicClientApplication,
 * silent first, then an interactive popup brokered by Outlook. Loaded lazily (own chunk).
 * Tokens stay in memory; no PII logging.
 */
import { createNestablePublicClientApplication, InteractionRequiredAuthError, type IPublicClientApplication } from '@azure/msal-browser';

export async function createNaaClient(clientId: string, scope: string, authority: string | null): Promise<{ token(): Promise<string | null> }> {
  const pca: IPublicClientApplication = await createNestablePublicClientApplication({
    auth: { clientId, authority: authority ?? 'https://login.microsoftonline.com/organizations' },
    cache: { cacheLocation: 'memoryStorage' },
    system: { loggerOptions: { piiLoggingEnabled: false } },
  });
  const request = { scopes: [scope] };
  return {
    async token() {
      try {
        return (await pca.acquireTokenSilent(request)).accessToken;
      } catch (e) {
        // Interaction required, or no account yet: ask interactively (Outlook brokers the popup).
        void (e instanceof InteractionRequiredAuthError);
        try {
          return (await pca.acquireTokenPopup(request)).accessToken;
        } catch {
          return null;
        }
      }
    },
  };
}
