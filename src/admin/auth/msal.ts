/**
 * Entra ID sign-in with msal-browser's redirect flow (the console is a normal web page, not an
 * add-in): initialize, handleRedirectPromise, loginRedirect; tokens by acquireTokenSilent and, when
 * interaction is needed, acquireTokenRedirect. Loaded lazily (its own chunk). MSAL keeps its
 * cache in sessionStorage, which the redirect needs; no PII logging.
 */
import { InteractionRequiredAuthError, PublicClientApplication } from '@azure/msal-browser';
import type { EntraSignIn } from './session';

export interface RedirectOptions {
  clientId: string;
  scope: string;
  authority: string;
  redirectUri: string;
}

export async function createRedirectSignIn(o: RedirectOptions): Promise<EntraSignIn> {
  const pca = new PublicClientApplication({
    auth: { clientId: o.clientId, authority: o.authority, redirectUri: o.redirectUri },
    cache: { cacheLocation: 'sessionStorage' },
    system: { loggerOptions: { piiLoggingEnabled: false } },
  });
  await pca.initialize();
  const back = await pca.handleRedirectPromise();
  if (back?.account) pca.setActiveAccount(back.account);
  else if (!pca.getActiveAccount()) {
    const [first] = pca.getAllAccounts();
    if (first) pca.setActiveAccount(first);
  }
  const request = { scopes: [o.scope] };
  return {
    signedIn: pca.getActiveAccount() !== null,
    login: () => pca.loginRedirect(request),
    session: () => ({
      async token() {
        const account = pca.getActiveAccount();
        if (!account) return null;
        try {
          return (await pca.acquireTokenSilent({ ...request, account })).accessToken;
        } catch (e) {
          // Consent or a new sign-in is needed: leave for Entra ID and come back to /admin/.
          if (e instanceof InteractionRequiredAuthError) await pca.acquireTokenRedirect({ ...request, account });
          return null;
        }
      },
      async signOut() {
        const account = pca.getActiveAccount();
        await pca.logoutRedirect({ account: account ?? undefined, postLogoutRedirectUri: o.redirectUri });
      },
    }),
  };
}
