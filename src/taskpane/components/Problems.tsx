/**
 * Bokningar som inte hänvisar (issue 14), at the top of the Hänvisning tab: the coming 14 days'
 * bookings that will not divert (a near miss such as a missing colon, or private/free/tentative
 * with a code), as GET /me/problems gives them, so also bookings made where the pane was not
 * (phone, Outlook on the web). Each line: day and time in the organisation's zone, the reason in
 * the pane's language and Öppna, which opens the booking in Outlook, where the preview's fix
 * applies. Nothing at all when the list is empty or the pane is not connected.
 */
import { Button, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../core/catalog';
import { type BookingProblemJson, type EndpointClient, EndpointError, type ProblemsAnswer } from '../api/client';
import { fill, type Texts } from '../i18n';
import { formatClock, toLocalInput } from './time';

export interface ProblemsProps {
  /** The endpoint client once connected; null: nothing is shown. */
  client: EndpointClient | null;
  /** The port's openItem; absent where Outlook cannot open another item (then no Öppna). */
  openItem?: (bookingId: string) => Promise<void>;
  t: Texts;
  lang: Lang;
  /** The organisation's zone (GET /catalog's workday), in which the times are shown. */
  zone: string;
  /** Changes each time a booking went to the endpoint (Pane.synced): the list is fetched again. */
  reload?: number;
}

type State = { kind: 'none' } | { kind: 'ok'; answer: ProblemsAnswer } | { kind: 'error' };

const row: React.CSSProperties = { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6 };
const heading: React.CSSProperties = { fontSize: 14, margin: 0 };

/**
 * A booking's day and time in `zone`: "tors 3 dec. 11:00–12:00" (sv) / "Thu 3 Dec 11:00–12:00" (en),
 * the day as Hänvisning's Tid names it and the clock as the rest of the pane writes it; an end on
 * another day names that day too. All-day: the day, or the first and last day (the end is the
 * midnight after the last day).
 */
export function formatSpan(start: number, end: number, zone: string, lang: Lang, allDay = false): string {
  const f = new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short' });
  if (allDay) {
    const first = f.format(start);
    const last = f.format(Math.max(start, end - 1));
    return first === last ? first : `${first} – ${last}`;
  }
  if (toLocalInput(start, zone).date === toLocalInput(end, zone).date) return `${f.format(start)} ${formatClock(start, zone)}–${formatClock(end, zone)}`;
  return `${f.format(start)} ${formatClock(start, zone)} – ${f.format(end)} ${formatClock(end, zone)}`;
}

export function whenText(p: BookingProblemJson, zone: string, lang: Lang, t: Texts): string {
  const span = formatSpan(Date.parse(p.start), Date.parse(p.end), zone, lang, p.isAllDay);
  return p.isAllDay ? `${span}, ${t.problemsAllDay}` : span;
}

export function Problems({ client, openItem, t, lang, zone, reload = 0 }: ProblemsProps) {
  const [state, setState] = React.useState<State>({ kind: 'none' });
  const [openFailed, setOpenFailed] = React.useState(false);
  const headingId = React.useId();

  // Fetched on mount (the tab shown again mounts it anew), on connecting and after each sync.
  // The previous list stays until the answer comes, so a refresh does not flicker.
  React.useEffect(() => {
    if (!client) return;
    let live = true;
    client.problems().then(
      (answer) => {
        if (live) setState({ kind: 'ok', answer });
      },
      (e: unknown) => {
        // An endpoint older than the route (404) has nothing to say here: stay silent.
        if (live) setState(e instanceof EndpointError && e.status === 404 ? { kind: 'none' } : { kind: 'error' });
      },
    );
    return () => {
      live = false;
    };
  }, [client, reload]);

  if (!client || state.kind === 'none') return null;
  if (state.kind === 'error')
    return (
      <Text as="p" size={200} data-testid="problems-error">
        {t.problemsFailed}
      </Text>
    );
  const { problems, more } = state.answer;
  if (problems.length === 0) return null;
  const open = (id: string) => {
    setOpenFailed(false);
    openItem?.(id).catch(() => setOpenFailed(true));
  };
  return (
    <section aria-labelledby={headingId} data-testid="problems">
      <h3 id={headingId} style={heading}>
        {t.problemsHeading}
      </h3>
      <ul className="kk-list" aria-labelledby={headingId} style={{ margin: 0 }}>
        {problems.map((p) => {
          const when = whenText(p, zone, lang, t);
          return (
            <li key={`${p.bookingId}@${p.start}`} data-testid="problem">
              <div style={row}>
                <Text weight="semibold" data-testid="problem-when">
                  {when}
                </Text>
                {openItem && (
                  <Button size="small" aria-label={fill(t.problemsOpenLabel, { when })} onClick={() => open(p.bookingId)} data-testid="problem-open">
                    {t.problemsOpen}
                  </Button>
                )}
              </div>
              <Text as="p" size={200} style={{ margin: 0 }} data-testid="problem-message">
                {p.message[lang]}
              </Text>
            </li>
          );
        })}
      </ul>
      {more && (
        <Text as="p" size={200} style={{ margin: 0 }} data-testid="problems-more">
          {fill(t.problemsMore, { n: problems.length })}
        </Text>
      )}
      {/* Always there, so that a failure to open is announced when it appears. */}
      <Text as="p" size={200} role="status" style={{ margin: 0 }} data-testid="problems-open-status">
        {openFailed ? t.problemsOpenFailed : ''}
      </Text>
    </section>
  );
}
