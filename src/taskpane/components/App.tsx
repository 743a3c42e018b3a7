/**
 * The task pane: tabs Hänvisning (preview), Aktiviteter, Snabbval, Kollegor, Inställningar. The
 * Appointment port and the endpoint client come in as props (STYLE 1), so tests and the harness
 * plug in fakes. At 320–350 px the tab list wraps onto a second row rather than clipping a label
 * or scrolling the pane sideways (taskpane.css).
 */
import { FluentProvider, MessageBar, MessageBarBody, Tab, TabList, webLightTheme } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../core/catalog';
import type { EndpointClient, Me } from '../api/client';
import { fill, TEXTS } from '../i18n';
import type { AppointmentPort } from '../port';
import { type PaneContext, usePane } from '../usePane';
import { Preview } from './Preview';

// The other tabs are not needed for the first preview: each is its own chunk.
const Activities = React.lazy(() => import(/* webpackChunkName: "tabs" */ './Activities').then((m) => ({ default: m.Activities })));
const Quick = React.lazy(() => import(/* webpackChunkName: "tabs" */ './Quick').then((m) => ({ default: m.Quick })));
const Colleagues = React.lazy(() => import(/* webpackChunkName: "tabs" */ './colleagues/Colleagues').then((m) => ({ default: m.Colleagues })));
const Settings = React.lazy(() => import(/* webpackChunkName: "tabs" */ './Settings').then((m) => ({ default: m.Settings })));

/** Why the pane could not sign in, when it knows (the harness's development user id refused). */
export type SignInProblem = { kind: 'devUserRefused'; user: string } | { kind: 'devExtensionRefused'; extension: string };

export interface AppProps {
  port: AppointmentPort;
  client: EndpointClient | null;
  lang: Lang;
  pollMs?: number;
  signInProblem?: SignInProblem | null;
  /** Called (in an effect) whenever the pane's context changes after the endpoint answered (BootOptions.onContext). */
  onContext?: (ctx: PaneContext, me: Me | null) => void;
}

type TabId = 'preview' | 'activities' | 'quick' | 'colleagues' | 'settings';

export function App({ port, client, lang, pollMs, signInProblem = null, onContext }: AppProps) {
  const t = TEXTS[lang];
  const pane = usePane(port, client, lang, pollMs);
  // A ref: a new callback on each render must not call it again; only a new context does.
  const onContextRef = React.useRef(onContext);
  onContextRef.current = onContext;
  const { connection, ctx, me } = pane;
  React.useEffect(() => {
    if (connection === 'connected') onContextRef.current?.(ctx, me);
  }, [connection, ctx, me]);
  const [tab, setTab] = React.useState<TabId>('preview');
  const [focus, setFocus] = React.useState<string | null>(null);
  const connected = pane.connection === 'connected' ? client : null;
  // Absent where Outlook cannot open another item: then no Öppna.
  const openItem = React.useMemo(() => port.openItem?.bind(port), [port]);
  const panelId = React.useId();
  return (
    <FluentProvider theme={webLightTheme} lang={lang === 'sv' ? 'sv-SE' : 'en-GB'} className="kk-provider">
      <main className="kk-main">
        <h1 className="kk-title">{t.appTitle}</h1>
        {signInProblem && (
          <MessageBar intent="warning" layout="multiline" data-testid="signin-problem">
            <MessageBarBody>
              {signInProblem.kind === 'devUserRefused' ? fill(t.devSignInRefused, { user: signInProblem.user }) : fill(t.devExtensionRefused, { extension: signInProblem.extension })}
            </MessageBarBody>
          </MessageBar>
        )}
        <TabList className="kk-tabs" selectedValue={tab} onTabSelect={(_e, d) => setTab(d.value as TabId)} aria-label={t.appTitle} size="small">
          <Tab value="preview" aria-controls={panelId}>{t.tabPreview}</Tab>
          <Tab value="activities" aria-controls={panelId}>{t.tabActivities}</Tab>
          <Tab value="quick" aria-controls={panelId}>{t.tabQuick}</Tab>
          <Tab value="colleagues" aria-controls={panelId}>{t.tabColleagues}</Tab>
          <Tab value="settings" aria-controls={panelId}>{t.tabSettings}</Tab>
        </TabList>
        <div role="tabpanel" id={panelId} className="kk-panel" data-testid="tab-panel">
          {tab === 'preview' && (
            <Preview
              pane={pane}
              t={t}
              lang={lang}
              client={connected}
              openItem={openItem}
              onOpenSettings={(setting) => {
                setFocus(setting);
                setTab('settings');
              }}
            />
          )}
          <React.Suspense fallback={<p>{t.loading}</p>}>
            {tab === 'activities' && <Activities client={connected} t={t} lang={lang} catalog={pane.ctx.catalog} workday={pane.ctx.workday} profile={pane.ctx.profile} />}
            {tab === 'quick' && <Quick client={connected} t={t} lang={lang} catalog={pane.ctx.catalog} zone={pane.ctx.timeZone} onStarted={() => void pane.refresh()} />}
            {tab === 'colleagues' && <Colleagues client={connected} lang={lang} />}
            {tab === 'settings' && (
              <Settings
                client={connected}
                t={t}
                lang={lang}
                catalog={pane.ctx.catalog}
                settings={pane.ctx.settings}
                profile={pane.ctx.profile}
                onSettings={pane.setSettings}
                onProfile={pane.setProfile}
                focus={focus}
              />
            )}
          </React.Suspense>
        </div>
      </main>
    </FluentProvider>
  );
}
