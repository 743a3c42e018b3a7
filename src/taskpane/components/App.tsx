/**
 * The task pane: tabs Hänvisning (preview), Aktiviteter, Snabbval, Inställningar. The Appointment
 * port and the endpoint client come in as props (STYLE 1), so tests and the harness plug in fakes.
 */
import { FluentProvider, Tab, TabList, webLightTheme } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../core/catalog';
import type { EndpointClient } from '../api/client';
import { TEXTS } from '../i18n';
import type { AppointmentPort } from '../port';
import { usePane } from '../usePane';
import { Preview } from './Preview';

// The other tabs are not needed for the first preview: each is its own chunk.
const Activities = React.lazy(() => import(/* webpackChunkName: "tabs" */ './Activities').then((m) => ({ default: m.Activities })));
const Quick = React.lazy(() => import(/* webpackChunkName: "tabs" */ './Quick').then((m) => ({ default: m.Quick })));
const Settings = React.lazy(() => import(/* webpackChunkName: "tabs" */ './Settings').then((m) => ({ default: m.Settings })));

export interface AppProps {
  port: AppointmentPort;
  client: EndpointClient | null;
  lang: Lang;
  pollMs?: number;
}

type TabId = 'preview' | 'activities' | 'quick' | 'settings';

export function App({ port, client, lang, pollMs }: AppProps) {
  const t = TEXTS[lang];
  const pane = usePane(port, client, lang, pollMs);
  const [tab, setTab] = React.useState<TabId>('preview');
  const [focus, setFocus] = React.useState<string | null>(null);
  const connected = pane.connection === 'connected' ? client : null;
  return (
    <FluentProvider theme={webLightTheme} lang={lang === 'sv' ? 'sv-SE' : 'en-GB'}>
      <main className="kk-main">
        <h1 className="kk-title">{t.appTitle}</h1>
        <TabList selectedValue={tab} onTabSelect={(_e, d) => setTab(d.value as TabId)} aria-label={t.appTitle} size="small">
          <Tab value="preview">{t.tabPreview}</Tab>
          <Tab value="activities">{t.tabActivities}</Tab>
          <Tab value="quick">{t.tabQuick}</Tab>
          <Tab value="settings">{t.tabSettings}</Tab>
        </TabList>
        <div role="tabpanel" className="kk-panel">
          {tab === 'preview' && (
            <Preview
              pane={pane}
              t={t}
              lang={lang}
              onOpenSettings={(setting) => {
                setFocus(setting);
                setTab('settings');
              }}
            />
          )}
          <React.Suspense fallback={<p>{t.loading}</p>}>
            {tab === 'activities' && <Activities client={connected} t={t} lang={lang} catalog={pane.ctx.catalog} zone={pane.ctx.timeZone} />}
            {tab === 'quick' && <Quick client={connected} t={t} lang={lang} catalog={pane.ctx.catalog} />}
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
