/**
 * The console page: the header (title, who is signed in, Språk) and what the sign-in allows —
 * the sign-in page, "Ingen åtkomst" (no Admin app role, or any admin route answered 403: then no
 * data is shown at all), or the console. Sign-in and fetch are injected, so tests need no mocks.
 */
import { Button, Field, FluentProvider, Select, Text, webLightTheme } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../core/catalog';
import { AdminClient, AdminError } from './api';
import { entraSignIn, type EntraSignIn, forgetDevSession, loadConsoleConfig, type Session, storedDevSession } from './auth';
import { SignIn } from './auth/SignIn';
import { SIGN_IN_TEXTS } from './auth/texts';
import { Console, type PageId } from './Console';
import { errorText, fill, rememberLang } from './format';
import { NoAccess } from './NoAccess';
import { COMMON_TEXTS, LANGUAGE_NAMES } from './texts';
import type { ConsoleConfig } from './types';
import { useStyles } from './ui/styles';

export interface AdminAppProps {
  lang: Lang;
  /** The endpoint ('' = this page's origin). */
  baseUrl?: string;
  fetchFn?: typeof fetch;
  /** Where Entra ID sends the browser back: `${location.origin}/admin/`. */
  redirectUri?: string;
  /** Where the language choice is remembered (localStorage). */
  storage?: Pick<Storage, 'setItem'> | null;
  /** Loads msal-browser (its own chunk); tests pass a fake. */
  loadEntra?: (config: ConsoleConfig, redirectUri: string) => Promise<EntraSignIn | null>;
  initialPage?: PageId;
  debounceMs?: number;
  pollMs?: number;
}

type Phase =
  | { kind: 'loading' }
  | { kind: 'noConfig' }
  | { kind: 'signIn'; config: ConsoleConfig; entra: EntraSignIn | null; entraFailed: boolean; notice: string | null }
  | { kind: 'checking'; config: ConsoleConfig }
  | { kind: 'failed'; config: ConsoleConfig; session: Session; message: string }
  | { kind: 'noAccess'; config: ConsoleConfig; session: Session; name: string | null }
  | { kind: 'ready'; config: ConsoleConfig; session: Session; client: AdminClient; name: string | null };

const defaultRedirect = () => (typeof location === 'undefined' ? '/admin/' : `${location.origin}/admin/`);

export function AdminApp(props: AdminAppProps) {
  const { baseUrl = '', fetchFn, storage = null, loadEntra = entraSignIn } = props;
  const redirectUri = props.redirectUri ?? defaultRedirect();
  const [lang, setLang] = React.useState<Lang>(props.lang);
  const [phase, setPhase] = React.useState<Phase>({ kind: 'loading' });
  const [attempt, setAttempt] = React.useState(0);
  const s = useStyles();
  const t = COMMON_TEXTS[lang];
  const x = SIGN_IN_TEXTS[lang];
  const langRef = React.useRef(lang);
  langRef.current = lang;

  const toSignIn = React.useCallback(
    async (config: ConsoleConfig, notice: string | null) => {
      if (config.devSignIn) {
        setPhase({ kind: 'signIn', config, entra: null, entraFailed: false, notice });
        return;
      }
      setPhase({ kind: 'signIn', config, entra: null, entraFailed: false, notice });
      try {
        const entra = await loadEntra(config, redirectUri);
        setPhase({ kind: 'signIn', config, entra, entraFailed: false, notice });
      } catch {
        setPhase({ kind: 'signIn', config, entra: null, entraFailed: true, notice });
      }
    },
    [loadEntra, redirectUri],
  );

  /** Signed in: who is it, and are they an admin? A later 403 from any admin route means no access. */
  const check = React.useCallback(
    async (config: ConsoleConfig, session: Session) => {
      setPhase({ kind: 'checking', config });
      let name: string | null = null;
      const client = new AdminClient(baseUrl, () => session.token(), fetchFn, {
        onForbidden: () => setPhase({ kind: 'noAccess', config, session, name }),
        onUnauthorized: () => {
          if (config.devSignIn) forgetDevSession();
          void toSignIn(config, SIGN_IN_TEXTS[langRef.current].expired);
        },
      });
      try {
        const me = await client.me();
        name = me.displayName ?? me.oid;
        setPhase(me.isAdmin ? { kind: 'ready', config, session, client, name } : { kind: 'noAccess', config, session, name });
      } catch (e) {
        if (e instanceof AdminError && (e.kind === 'notSignedIn' || e.kind === 'forbidden')) return;
        setPhase({ kind: 'failed', config, session, message: errorText(e, COMMON_TEXTS[langRef.current]) });
      }
    },
    [baseUrl, fetchFn, toSignIn],
  );

  React.useEffect(() => {
    let gone = false;
    void (async () => {
      const config = await loadConsoleConfig(baseUrl, fetchFn);
      if (gone) return;
      if (!config) return setPhase({ kind: 'noConfig' });
      if (config.devSignIn) {
        const stored = storedDevSession();
        return stored ? void check(config, stored) : void toSignIn(config, null);
      }
      try {
        const entra = await loadEntra(config, redirectUri);
        if (gone) return;
        if (entra?.signedIn) return void check(config, entra.session());
        setPhase({ kind: 'signIn', config, entra, entraFailed: false, notice: null });
      } catch {
        if (!gone) setPhase({ kind: 'signIn', config, entra: null, entraFailed: true, notice: null });
      }
    })();
    return () => {
      gone = true;
    };
    // Run once per attempt (Försök igen); the callbacks are stable for the page's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt]);

  const signOut = async () => {
    if (!('session' in phase)) return;
    const config = phase.config;
    await phase.session.signOut();
    void toSignIn(config, null);
  };

  const chooseLang = (l: Lang) => {
    setLang(l);
    rememberLang(storage, l);
    if (typeof document !== 'undefined') document.documentElement.lang = l;
  };

  const name = phase.kind === 'ready' ? phase.name : null;
  return (
    <FluentProvider theme={webLightTheme} lang={lang === 'sv' ? 'sv-SE' : 'en-GB'} className={s.shell}>
      <header className={s.header}>
        <h1 className={s.title}>{t.appTitle}</h1>
        <div className={s.headerRight}>
          {name && <Text>{fill(t.signedInAs, { name })}</Text>}
          {phase.kind === 'ready' && <Button onClick={() => void signOut()}>{t.signOut}</Button>}
          <Field label={t.language} orientation="horizontal">
            <Select value={lang} onChange={(_e, d) => chooseLang(d.value as Lang)}>
              <option value="sv" lang="sv">
                {LANGUAGE_NAMES.sv}
              </option>
              <option value="en" lang="en">
                {LANGUAGE_NAMES.en}
              </option>
            </Select>
          </Field>
        </div>
      </header>
      <main className={s.main}>
        {phase.kind === 'loading' && <Text role="status">{t.loading}</Text>}
        {phase.kind === 'checking' && <Text role="status">{x.checking}</Text>}
        {phase.kind === 'noConfig' && (
          <div className={s.form}>
            <Text role="status">{x.noConfig}</Text>
            <div className={s.actions}>
              <Button onClick={() => setAttempt((n) => n + 1)}>{x.retry}</Button>
            </div>
          </div>
        )}
        {phase.kind === 'failed' && (
          <div className={s.form}>
            <Text role="status">{phase.message}</Text>
            <div className={s.actions}>
              <Button onClick={() => void check(phase.config, phase.session)}>{x.retry}</Button>
            </div>
          </div>
        )}
        {phase.kind === 'signIn' && (
          <SignIn
            config={phase.config}
            lang={lang}
            baseUrl={baseUrl}
            fetchFn={fetchFn}
            entra={phase.entra}
            entraFailed={phase.entraFailed}
            notice={phase.notice}
            onSession={(session) => void check(phase.config, session)}
          />
        )}
        {phase.kind === 'noAccess' && <NoAccess lang={lang} name={phase.name} onSignOut={() => void signOut()} />}
        {phase.kind === 'ready' && <Console client={phase.client} lang={lang} initialPage={props.initialPage} debounceMs={props.debounceMs} pollMs={props.pollMs} />}
      </main>
    </FluentProvider>
  );
}
