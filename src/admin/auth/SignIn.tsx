/**
 * The sign-in page: with development sign-in a small form (user id, Administratör) that asks the
 * endpoint for a token; otherwise one "Logga in" button that leaves for Entra ID (redirect flow).
 */
import { Button, Checkbox, Field, Input, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../core/catalog';
import { AdminError } from '../api';
import { errorText, normalizeField } from '../format';
import { COMMON_TEXTS } from '../texts';
import type { ConsoleConfig } from '../types';
import { devSession, devToken, type EntraSignIn, type Session } from './index';
import { SIGN_IN_TEXTS } from './texts';
import { useStyles } from '../ui/styles';

export interface SignInProps {
  config: ConsoleConfig;
  lang: Lang;
  baseUrl: string;
  fetchFn?: typeof fetch;
  /** The Entra sign-in, once msal-browser is loaded (null: not configured or failed to load). */
  entra: EntraSignIn | null;
  entraFailed?: boolean;
  /** Why the user is here again (the token expired). */
  notice?: string | null;
  onSession(session: Session): void;
}

function DevForm({ lang, baseUrl, fetchFn, onSession }: Pick<SignInProps, 'lang' | 'baseUrl' | 'fetchFn' | 'onSession'>) {
  const x = SIGN_IN_TEXTS[lang];
  const s = useStyles();
  const [user, setUser] = React.useState('admin.dev');
  const [admin, setAdmin] = React.useState(true);
  const [busy, setBusy] = React.useState(false);
  const [userError, setUserError] = React.useState<string | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setUserError(null);
    if (!user.trim()) {
      setUserError(x.devUserMissing);
      return;
    }
    setBusy(true);
    try {
      onSession(devSession(await devToken(baseUrl, user.trim(), admin, fetchFn)));
    } catch (err) {
      if (err instanceof AdminError && err.status === 400 && (normalizeField(err.field) ?? 'user') === 'user') setUserError(x.devUserRefused);
      else setError(errorText(err, COMMON_TEXTS[lang]));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className={s.form} aria-label={x.title}>
      <Text as="p">{x.devIntro}</Text>
      <Field label={x.devUser} validationMessage={userError ?? undefined} validationState={userError ? 'error' : 'none'}>
        <Input value={user} onChange={(_e, d) => setUser(d.value)} autoComplete="username" />
      </Field>
      <Checkbox label={x.devAdmin} checked={admin} onChange={(_e, d) => setAdmin(d.checked === true)} />
      <div className={s.actions}>
        <Button appearance="primary" type="submit" disabled={busy}>
          {x.signIn}
        </Button>
      </div>
      <Text role="status">{busy ? x.signingIn : (error ?? '')}</Text>
    </form>
  );
}

export function SignIn(props: SignInProps) {
  const { config, lang, entra, entraFailed, notice } = props;
  const x = SIGN_IN_TEXTS[lang];
  const s = useStyles();
  const [leaving, setLeaving] = React.useState(false);
  return (
    <section aria-labelledby="kk-signin-title" className={s.page}>
      <h2 id="kk-signin-title">{x.title}</h2>
      {notice && <Text as="p">{notice}</Text>}
      {config.devSignIn ? (
        <DevForm lang={lang} baseUrl={props.baseUrl} fetchFn={props.fetchFn} onSession={props.onSession} />
      ) : !config.clientId || !config.scope ? (
        <Text as="p">{x.notConfigured}</Text>
      ) : entraFailed || !entra ? (
        <Text as="p" role="status">
          {entraFailed ? x.msalFailed : COMMON_TEXTS[lang].loading}
        </Text>
      ) : (
        <div className={s.form}>
          <Text as="p">{x.entraIntro}</Text>
          <div className={s.actions}>
            <Button
              appearance="primary"
              disabled={leaving}
              onClick={() => {
                setLeaving(true);
                void entra.login().catch(() => setLeaving(false));
              }}
            >
              {x.signIn}
            </Button>
          </div>
        </div>
      )}
    </section>
  );
}
