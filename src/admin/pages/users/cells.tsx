/** How one user's row says their diversion, last delivery and calendar sync. */
import { Badge, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../../core/catalog';
import { fill, formatInstant, returnText } from '../../format';
import { COMMON_TEXTS } from '../../texts';
import type { AdminUserRow } from '../../types';
import { USER_TEXTS } from './texts';

export function ExtensionCell({ row, lang }: { row: AdminUserRow; lang: Lang }) {
  const x = USER_TEXTS[lang];
  if (!row.extension) return <Text>{COMMON_TEXTS[lang].none}</Text>;
  return (
    <>
      <Text>{row.extension}</Text>{' '}
      {row.shared && (
        <Badge appearance="tint" color="informative">
          {x.shared}
        </Badge>
      )}
    </>
  );
}

export function diversionText(row: AdminUserRow, lang: Lang, now = new Date()): string {
  const x = USER_TEXTS[lang];
  const d = row.diversion;
  if (!d) return x.noDiversion;
  // The endpoint words the return as the directory shows it, in the organisation's time zone.
  const line = `${d.label[lang]} ${d.returnText?.[lang] ?? returnText(d.returnAt, COMMON_TEXTS[lang], now)}`;
  return d.soft ? `${line} (${x.soft})` : line;
}

export function DeliveryCell({ row, lang }: { row: AdminUserRow; lang: Lang }) {
  const x = USER_TEXTS[lang];
  const t = COMMON_TEXTS[lang];
  const d = row.delivery;
  if (!d) return <Text>{t.none}</Text>;
  if (d.failed) {
    return (
      <Text>
        <Badge appearance="filled" color="danger">
          {x.failed}
        </Badge>{' '}
        {d.lastError ?? ''}
      </Text>
    );
  }
  if (d.delivered) return <Text>{fill(x.delivered, { at: formatInstant(d.deliveredAt, t) })}</Text>;
  return (
    <Text>
      {d.attempts > 0 ? fill(x.waitingAttempts, { n: d.attempts }) : x.waiting}
      {d.lastError ? ` · ${d.lastError}` : ''}
    </Text>
  );
}

export function CalendarCell({ row, lang }: { row: AdminUserRow; lang: Lang }) {
  const x = USER_TEXTS[lang];
  const c = row.calendar;
  if (!c) return <Text>{COMMON_TEXTS[lang].none}</Text>;
  if (c.lastError) {
    return (
      <Text>
        <Badge appearance="filled" color="danger">
          {x.calendarError}
        </Badge>{' '}
        {c.lastError}
      </Text>
    );
  }
  return (
    <Badge appearance="tint" color="success">
      {x.calendarOk}
    </Badge>
  );
}
