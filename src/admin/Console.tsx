/**
 * The signed-in console: a tab list (Användare och anknytningar, Import, Leveranser,
 * Kalendersynk, Koder och organisation, Journal) and the selected page, each page its own chunk.
 */
import { Tab, TabList, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../core/catalog';
import type { AdminClient } from './api';
import { COMMON_TEXTS } from './texts';
import { useStyles } from './ui/styles';

const UsersPage = React.lazy(() => import(/* webpackChunkName: "users" */ './pages/users/UsersPage').then((m) => ({ default: m.UsersPage })));
const ImportPage = React.lazy(() => import(/* webpackChunkName: "import" */ './pages/import/ImportPage').then((m) => ({ default: m.ImportPage })));
const DeliveriesPage = React.lazy(() => import(/* webpackChunkName: "deliveries" */ './pages/deliveries/DeliveriesPage').then((m) => ({ default: m.DeliveriesPage })));
const CalendarPage = React.lazy(() => import(/* webpackChunkName: "calendar" */ './pages/calendar/CalendarPage').then((m) => ({ default: m.CalendarPage })));
const OrgPage = React.lazy(() => import(/* webpackChunkName: "org" */ './pages/org/OrgPage').then((m) => ({ default: m.OrgPage })));
const JournalPage = React.lazy(() => import(/* webpackChunkName: "journal" */ './pages/journal/JournalPage').then((m) => ({ default: m.JournalPage })));

export type PageId = 'users' | 'import' | 'deliveries' | 'calendar' | 'org' | 'journal';
export const PAGES: readonly PageId[] = ['users', 'import', 'deliveries', 'calendar', 'org', 'journal'];

export interface ConsoleProps {
  client: AdminClient;
  lang: Lang;
  initialPage?: PageId;
  /** Test hooks: the pause after typing, the Leveranser poll. */
  debounceMs?: number;
  pollMs?: number;
}

export function Console({ client, lang, initialPage = 'users', debounceMs, pollMs }: ConsoleProps) {
  const t = COMMON_TEXTS[lang];
  const s = useStyles();
  const [page, setPage] = React.useState<PageId>(initialPage);
  const panelId = React.useId();
  const names: Record<PageId, string> = { users: t.tabUsers, import: t.tabImport, deliveries: t.tabDeliveries, calendar: t.tabCalendar, org: t.tabOrg, journal: t.tabJournal };
  return (
    <>
      <TabList className={s.nav} selectedValue={page} onTabSelect={(_e, d) => setPage(d.value as PageId)} aria-label={t.tabs}>
        {PAGES.map((p) => (
          <Tab key={p} value={p} aria-controls={panelId}>
            {names[p]}
          </Tab>
        ))}
      </TabList>
      <div role="tabpanel" id={panelId} aria-label={names[page]} data-testid="page">
        <h2>{names[page]}</h2>
        <React.Suspense fallback={<Text role="status">{t.loading}</Text>}>
          {page === 'users' && <UsersPage client={client} lang={lang} debounceMs={debounceMs} />}
          {page === 'import' && <ImportPage client={client} lang={lang} />}
          {page === 'deliveries' && <DeliveriesPage client={client} lang={lang} pollMs={pollMs} debounceMs={debounceMs} />}
          {page === 'calendar' && <CalendarPage client={client} lang={lang} />}
          {page === 'org' && <OrgPage client={client} lang={lang} />}
          {page === 'journal' && <JournalPage client={client} lang={lang} debounceMs={debounceMs} />}
        </React.Suspense>
      </div>
    </>
  );
}
