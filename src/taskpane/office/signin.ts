/**
 * The page in the Office dialog (signin.html) for the sign-in fallback: MSAL redirect flow in the
 * dialog window, then the access token goes to the task pane with messageParent. The client id
 * and scope come from /addin/config.json. No token or account data is logged.
 */
import { PublicClientApplication } from '@azure/msal-browser';

async function main(): Promise<void> {
  await Office.onReady();
  const config = (await (await fetch('/addin/config.json', { cache: 'no-store' })).json()) as { clientId: string | null; scope: string | null; authority?: string | null };
  if (!config.clientId || !config.scope) {
    Office.context.ui.messageParent(JSON.stringify({ error: 'notConfigured' }));
    return;
  }
  const pca = new PublicClientApplication({
    auth: { clientId: config.clientId, authority: config.authority ?? 'https://login.microsoftonline.com/organizations', redirectUri: `${location.origin}/addin/signin.html` },
    cache: { cacheLocation: 'sessionStorage' },
  });
  await pca.initialize();
  const back = await pca.handleRedirectPromise();
  if (back?.accessToken) {
    Office.context.ui.messageParent(JSON.stringify({ token: back.accessToken }));
    return;
  }
  await pca.loginRedirect({ scopes: [config.scope] });
}

void main().catch(() => Office.context.ui.messageParent(JSON.stringify({ error: 'failed' })));
